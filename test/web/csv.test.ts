import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../src/web/csv";

describe("CSV cells", () => {
  it.each([
    ["plain", "plain"],
    ['say "hi"', '"say ""hi"""'],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["=1+1", "'=1+1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    [null, ""],
    [3, "3"],
  ] as const)("%j becomes %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("joins rows with CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x\r\n");
  });
});

// SPEC section 9: quote a cell that holds , ; tab " CR or LF; neutralise a leading = + - @.
describe("CSV cells against spreadsheets", () => {
  it.each([
    ["a;b", '"a;b"'],
    ["a\tb", '"a\tb"'],
    ["a\rb", '"a\rb"'],
    ["plain text, no formula", '"plain text, no formula"'],
    ["Q3 plan: 10% more", "Q3 plan: 10% more"],
    ["a=b+c@d", "a=b+c@d"],
    [-3, "-3"],
    [true, "true"],
  ] as const)("keeps %j as the data it is: %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    // The subject of issue 9: exported unquoted, a `;` spreadsheet read three formulas.
    ["Hello;=1+2;@SUM(1;2)", '"Hello;=1+2;@SUM(1;2)"'],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2+3", "'-2+3"],
    ["@SUM(1;2)", '"\'@SUM(1;2)"'],
    ['=HYPERLINK("https://evil.example";"x")', '"\'=HYPERLINK(""https://evil.example"";""x"")"'],
    ["\t=1+1", '"\'\t=1+1"'],
    ["\r=1+1", '"\'\r=1+1"'],
    ["=1+1\r\n=2+2", '"\'=1+1\r\n=2+2"'],
  ] as const)("defuses %j as %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("keeps a 150 KB cell of separators one quoted cell", () => {
    const cell = csvCell(";".repeat(150_000));
    expect(cell).toBe(`"${";".repeat(150_000)}"`);
  });

  it("reads back as one cell per value, separators, quotes and line breaks included", () => {
    const values = ["Hello;=1+2;@SUM(1;2)", 'say "hi", then\r\nbye', "a\tb"];
    expect(parseCsv(toCsv(["a", "b", "c"], [values]))).toEqual([["a", "b", "c"], values]);
  });
});

/** A minimal RFC 4180 reader: records end with CRLF outside quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      records.push([...record, cell]);
      record = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return records;
}
