import type { ReactNode } from 'react';

export interface UsageColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
}

/** One of the Usage page's cards: a title, an optional description, and its rows as a table or a line saying none. */
export function UsageTableCard<Row>({
  title,
  description,
  empty,
  columns,
  rows,
  rowKey,
  testId,
}: {
  title: string;
  description?: string;
  empty: string;
  columns: UsageColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  testId?: string;
}) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {description ? <p className="muted">{description}</p> : null}
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="usage-table" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header}>{column.cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
