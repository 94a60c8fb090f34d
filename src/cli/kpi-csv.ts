import { UsageError } from './args';

/** One row of a KPI export, with the line it came from. */
export interface KpiCsvRow {
  line: number;
  observedAt: Date;
  value: number;
  sourceKey: string | null;
}

const HEADER = ['observedAt', 'value', 'sourceKey'];

/** Splits one CSV line; fields may be double-quoted, with "" for a quote inside. */
function fields(text: string, line: number, file: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new UsageError(`${file} line ${line}: a quoted field is not closed`);
        if (text[i] === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
        else if (text[i] === '"') break;
        else field += text[i++];
      }
      i++;
      if (i < text.length && text[i] !== ',') throw new UsageError(`${file} line ${line}: text after a closing quote`);
    } else {
      const end = text.indexOf(',', i);
      field = text.slice(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    }
    out.push(field.trim());
    if (i >= text.length) return out;
    i++;
  }
}

/**
 * Parses a KPI export: a header `observedAt,value[,sourceKey]`, then one value per line (blank
 * lines skipped). A bad row is a UsageError naming its line; nothing is returned in part.
 */
export function parseKpiCsv(text: string, file: string): KpiCsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = fields(lines[0] ?? '', 1, file);
  if (header.length < 2 || header.length > 3 || header.some((h, i) => h !== HEADER[i])) {
    throw new UsageError(`${file} line 1: the header must be observedAt,value or observedAt,value,sourceKey`);
  }
  const rows: KpiCsvRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (!raw.trim()) return;
    const cells = fields(raw, line, file);
    if (cells.length !== header.length) throw new UsageError(`${file} line ${line}: expected ${header.length} fields, found ${cells.length}`);
    const observedAt = new Date(cells[0]);
    if (!cells[0] || Number.isNaN(observedAt.getTime())) throw new UsageError(`${file} line ${line}: observedAt "${cells[0]}" is not a date-time`);
    const value = Number(cells[1]);
    if (!cells[1] || !Number.isFinite(value)) throw new UsageError(`${file} line ${line}: value "${cells[1]}" is not a number`);
    rows.push({ line, observedAt, value, sourceKey: cells[2] || null });
  });
  if (!rows.length) throw new UsageError(`${file}: no values after the header`);
  return rows;
}
