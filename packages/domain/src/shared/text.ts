import { z } from 'zod';

/** A short human text (a name, a title): trimmed, 1-200 characters. */
export const Name = z.string().trim().min(1).max(200);
/** A longer human text (a reason, a summary, minutes): 1-2000 characters. */
export const Text = z.string().trim().min(1).max(2000);
/** A reference to a paper document (a 批复 or 聘书 number, a decision number). */
export const DocumentRef = z.string().trim().min(1).max(100);
