import {
  ERASED,
  InMemoryEventStore,
  domainPersonalData,
  withDomainPersonalData,
  unsafe,
  type StreamId,
} from '@cogov/domain';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_MISSING, PersonalDataVault, SubjectErasedError } from './personalDataVault.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-vault-'));
  dirs.push(dir);
  return join(dir, 'personal');
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('PersonalDataVault', () => {
  it('seals under each person’s own key, opens again after a restart, and refuses a value moved to another person', () => {
    const dir = fresh();
    const vault = PersonalDataVault.open(dir);
    const sealed = vault.seal('member:a', '王小明');
    expect(JSON.stringify(sealed)).not.toContain('王小明');
    expect(vault.seal('member:a', '王小明').data).not.toBe(sealed.data);
    expect(PersonalDataVault.open(dir).open(sealed)).toBe('王小明');
    vault.seal('member:b', '李四');
    expect(() => vault.open({ ...sealed, subject: 'member:b' })).toThrow();
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.key'))).toHaveLength(2);
    expect(files.join()).not.toContain('member');
    expect(statSync(join(dir, files[0]!)).mode & 0o077).toBe(0);
  });

  it('erases: the key file is gone, nothing opens or seals for that person again, even after a restart', () => {
    const dir = fresh();
    const vault = PersonalDataVault.open(dir);
    const sealed = vault.seal('member:a', '王小明');
    const other = vault.seal('member:b', '李四');
    vault.erase('member:a');
    vault.erase('member:a');
    expect(vault.open(sealed)).toBeNull();
    expect(vault.reveal(sealed)).toBe(ERASED);
    expect(vault.open(other)).toBe('李四');
    const again = PersonalDataVault.open(dir);
    expect(again.open(sealed)).toBeNull();
    expect(again.isErased('member:a')).toBe(true);
    expect(() => again.seal('member:a', '王小明')).toThrow(SubjectErasedError);
    expect(readdirSync(dir).filter((f) => f.endsWith('.key'))).toHaveLength(1);
    // A vault that never held a key (a log moved without its keys) says so; it does not claim erasure.
    expect(PersonalDataVault.open(fresh()).reveal(other)).toBe(KEY_MISSING);
    expect(existsSync(dir)).toBe(true);
  });
});

describe('a store that seals personal data', () => {
  const registered = (memberId: string, name: string) => ({
    type: 'MemberRegistered',
    data: {
      memberId,
      name,
      category: 'resident',
      communityId: null,
      unitId: null,
      registeredOn: '2022-01-01',
    },
  });

  it('stores only ciphertext, reads plaintext on every path, and shows the person erased once the erasure is stored', async () => {
    const raw = new InMemoryEventStore();
    const vault = PersonalDataVault.open(fresh());
    const store = withDomainPersonalData(raw, vault.asCipher(), domainPersonalData());
    const stream = 'member-a' as StreamId;
    await store.appendToStream(stream, [registered('a', '王小明')], { expectedRevision: 'no_stream' });
    await store.appendToStream('member-b' as StreamId, [registered('b', '李四')], {
      expectedRevision: 'no_stream',
    });
    const rawLog = [];
    for await (const e of raw.readAll()) rawLog.push(e);
    expect(JSON.stringify(rawLog)).not.toMatch(/王小明|李四/);
    expect((await store.readStream(stream))[0]?.data).toMatchObject({ name: '王小明' });

    const subscription = store.subscribeAll();
    await store.appendToStream(
      stream,
      [
        {
          type: 'PersonalDataErased',
          data: { memberId: 'a', legalBasis: 'PIPL 47', reference: 'R-1', erasedOn: '2022-07-01' },
        },
      ],
      { expectedRevision: unsafe.revision(0) },
    );
    expect(vault.isErased('member:a')).toBe(true);
    expect((await store.readStream(stream))[0]?.data).toMatchObject({ name: ERASED });
    const names: unknown[] = [];
    for await (const e of store.readAll()) if (e.type === 'MemberRegistered') names.push(e.data);
    expect(names).toMatchObject([{ name: ERASED }, { name: '李四' }]);
    const seen: unknown[] = [];
    for await (const m of subscription) {
      if (m.kind === 'event' && m.event.type === 'MemberRegistered') seen.push(m.event.data);
      if (seen.length === 2) break;
    }
    await subscription.close();
    expect(seen).toMatchObject([{ name: ERASED }, { name: '李四' }]);
  });
});
