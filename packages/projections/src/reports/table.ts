/** A column of a report: its key in the JSON answer, its headers in both languages, what it counts. */
export interface Column {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly description: string;
}

/** A report as JSON: its columns, described, and its rows. */
export interface Table<R> {
  readonly columns: readonly Column[];
  readonly rows: readonly R[];
}

/** A cell of a spreadsheet: text, a number, a date (YYYY-MM-DD) or empty. */
export type Cell = string | number | null;

/**
 * A report laid out for a spreadsheet (CSV or XLSX): a title, headers, typed columns and rows of
 * cells. `indent` gives each row's depth in a tree (the annual sheet's regions), shown indented.
 */
export interface Grid {
  readonly title: string;
  readonly sheetName: string;
  readonly columns: readonly {
    readonly header: string;
    readonly type: 'text' | 'number' | 'date';
    readonly width?: number;
  }[];
  readonly rows: readonly (readonly Cell[])[];
  readonly indent?: readonly number[];
  /** Rows to show in bold (subtotals). */
  readonly bold?: readonly boolean[];
  /** Lines under the table: sources, what it cannot fill. */
  readonly notes?: readonly string[];
}
