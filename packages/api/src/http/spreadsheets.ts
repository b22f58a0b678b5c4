import type { Cell, Grid } from '@cogov/projections';
import { stringify } from 'csv-stringify/sync';
import { createRequire } from 'node:module';
import type ExcelJs from 'exceljs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/** `format=` of a report route: wins over the Accept header. */
export const Format = z
  .enum(['json', 'csv', 'xlsx'])
  .optional()
  .describe(
    'json, csv (UTF-8 with a byte-order mark, so that Excel opens Chinese correctly) or xlsx; without it, the Accept header decides (text/csv, the XLSX media type, else JSON)',
  );
export const Lang = z
  .enum(['zh', 'en'])
  .default('zh')
  .describe('Language of a spreadsheet’s headers (zh by default)');

/** The format asked for: `format=` first, then the Accept header; JSON by default. */
export const formatOf = (request: FastifyRequest, format: ReportFormat | undefined): ReportFormat => {
  if (format !== undefined) return format;
  const accept = request.headers.accept ?? '';
  if (accept.includes(XLSX_TYPE)) return 'xlsx';
  if (/\btext\/csv\b/.test(accept)) return 'csv';
  return 'json';
};

/**
 * A text cell a spreadsheet program would run as a formula (=, +, -, @, a tab or a carriage
 * return first) is quoted with a leading apostrophe (OWASP "CSV injection"): names and titles come
 * from users.
 */
const defused = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const csvCell = (cell: Cell): string =>
  cell === null ? '' : typeof cell === 'number' ? String(cell) : defused(cell);

/** CSV (RFC 4180) in UTF-8 with a byte-order mark: a title line, the headers, the rows, the notes. */
export const toCsv = (grid: Grid): Buffer => {
  const body = stringify([grid.columns.map((c) => c.header), ...grid.rows.map((row) => row.map(csvCell))], {
    record_delimiter: 'windows',
  });
  return Buffer.from(`\uFEFF${body}`, 'utf8');
};

/** An XLSX workbook of one sheet: a title, bold frozen headers, typed cells, indented tree rows, notes. */
export const toXlsx = async (grid: Grid): Promise<Buffer> => {
  // Loaded on the first XLSX asked for: exceljs takes a while to load, and most servers never write
  // one. Required rather than imported: the bundled command line is a script run from V8's code
  // cache, where Node 20 cannot `import()` (ADR 18; scripts/build.mjs refuses a bundle that does).
  const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJs;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'cogov';
  workbook.created = new Date(0); // the same records give the same file
  const sheet = workbook.addWorksheet(grid.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  sheet.columns = grid.columns.map((c) => ({ width: c.width ?? 14 }));
  const title = sheet.addRow([grid.title]);
  title.font = { bold: true, size: 14 };
  const header = sheet.addRow(grid.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  grid.rows.forEach((cells, i) => {
    const row = sheet.addRow(
      cells.map((cell, c) =>
        cell !== null && grid.columns[c]?.type === 'date' && typeof cell === 'string'
          ? new Date(`${cell}T00:00:00Z`)
          : cell,
      ),
    );
    const depth = grid.indent?.[i] ?? 0;
    if (depth > 0) row.getCell(1).alignment = { indent: depth };
    if (grid.bold?.[i] === true) row.font = { bold: true };
    grid.columns.forEach((column, c) => {
      if (column.type === 'date') row.getCell(c + 1).numFmt = 'yyyy-mm-dd';
    });
  });
  if (grid.notes !== undefined && grid.notes.length > 0) {
    sheet.addRow([]);
    for (const note of grid.notes) sheet.addRow([note]).font = { italic: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266). */
const disposition = (filename: string): string => {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
};

/**
 * Answers a report as JSON (validated by the route's schema), or sends it as a CSV or XLSX download
 * named `{name}.csv|xlsx`. A download is sent here and the reply returned, as fastify asks of an
 * async handler that sends; it is typed as the JSON answer so that the route keeps its schema.
 */
export const sendReport = async <T>(
  reply: FastifyReply,
  format: ReportFormat,
  name: string,
  json: T,
  grid: () => Grid,
): Promise<T> => {
  reply.header('vary', 'accept');
  if (format === 'json') return json;
  if (format === 'csv')
    reply
      .type(CSV_TYPE)
      .header('content-disposition', disposition(`${name}.csv`))
      .send(toCsv(grid()));
  else
    reply
      .type(XLSX_TYPE)
      .header('content-disposition', disposition(`${name}.xlsx`))
      .send(await toXlsx(grid()));
  return reply as unknown as T;
};
