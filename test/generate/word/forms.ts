/**
 * Builds one fixture DOCX from the official 2021 Word template by editing its
 * XML: the 2019 form and the single-（六） variant are made by rebuilding rows
 * with real w:gridSpan / w:vMerge merges, never by drawing borders.
 */
import { strFromU8, strToU8 } from 'fflate';
import { inconsistencies, makeValues, type Inconsistency, type Printed, type Profile, type Values } from './data.js';
import { absentRows, slots, type FormKind } from './layout.js';
import {
  body,
  build,
  cells,
  child,
  children,
  clone,
  escapeXml,
  getAttr,
  kids,
  paragraphText,
  parse,
  props,
  rows,
  setCellText,
  setParagraphText,
  setProp,
  stripIds,
  tables,
  tag,
  walk,
  writePackage,
  type Node,
} from './ooxml.js';

export type Look = 'plain' | 'long' | 'long-repeat' | 'fonts';

export interface FixtureSpec {
  name: string;
  form: FormKind;
  agency: string;
  year: number;
  seed: number;
  profile: Profile;
  /** Leave cells whose value is 0 empty, as many agencies do. */
  blankZeros?: boolean;
  /** Print some totals wrong (a filing error): given the correct values, the keys to misprint and what to print. */
  wrongTotals?: (values: Values) => Record<string, number>;
  look: Look;
  /** Write dc:title into docProps/core.xml. */
  coreTitle: boolean;
  notes: string;
}

export interface Gold {
  file: string;
  agency: string;
  year: number;
  template: '2019' | '2021';
  fields: Record<string, number | null>;
  raw: Record<string, string>;
  ambiguous: string[];
  absent_rows: string[];
  source_inconsistencies: Inconsistency[];
  notes: string;
  kind: string;
}

export interface Built {
  docx: Uint8Array;
  gold: Gold;
  /** Cell text per key as written ('' for a blank cell). */
  printed: Record<string, string>;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The tc whose first grid column is `col` (gridBefore and gridSpan respected). */
export function gridCell(tr: Node, col: number): Node {
  const trPr = child(tr, 'w:trPr');
  const before = trPr && child(trPr, 'w:gridBefore');
  let c = before ? Number((before[':@'] as Record<string, string>)['@_w:val']) : 0;
  for (const tc of cells(tr)) {
    if (c === col) return tc;
    const tcPr = child(tc, 'w:tcPr');
    const span = tcPr && child(tcPr, 'w:gridSpan');
    c += span ? Number((span[':@'] as Record<string, string>)['@_w:val']) : 1;
  }
  throw new Error(`no cell starts at grid column ${col}`);
}

function gridWidths(tbl: Node): number[] {
  const g = child(tbl, 'w:tblGrid');
  return g ? children(g, 'w:gridCol').map((c) => Number((c[':@'] as Record<string, string>)['@_w:w'])) : [];
}

/** Sets a cell's span and width (sum of the grid columns it covers) and clears any vertical merge. */
function shapeCell(tc: Node, col: number, span: number, widths: number[]): void {
  const tcPr = props(tc, 'w:tcPr');
  const w = widths.slice(col, col + span).reduce((a, b) => a + b, 0);
  setProp(tcPr, 'w:tcW', { 'w:w': String(w), 'w:type': 'dxa' });
  setProp(tcPr, 'w:gridSpan', span > 1 ? { 'w:val': String(span) } : null);
  setProp(tcPr, 'w:vMerge', null);
}

interface CellSpec {
  text: string;
  span: number;
  proto: Node;
}

function makeRow(protoRow: Node, specs: CellSpec[], widths: number[]): Node {
  const tr = clone(protoRow);
  const list = kids(tr);
  const keep = list.filter((n) => tag(n) !== 'w:tc');
  list.length = 0;
  list.push(...keep);
  let col = 0;
  for (const s of specs) {
    const tc = clone(s.proto);
    shapeCell(tc, col, s.span, widths);
    setCellText(tc, s.text);
    list.push(tc);
    col += s.span;
  }
  return tr;
}

/** Table 2 of the 2019 trial form, on the template's 4-column grid. */
function rebuildTable2For2019(t2: Node): void {
  const widths = gridWidths(t2);
  const old = rows(t2);
  const titleRow = old[0];
  const headRow = old[1];
  const dataRow = old[2];
  const titleCell = cells(titleRow)[0];
  const [headLabel, headCell] = cells(headRow);
  const [dataLabel, dataCell] = cells(dataRow);
  const title = (t: string) => makeRow(titleRow, [{ text: t, span: 4, proto: titleCell }], widths);
  const head = (labels: [string, number][]) =>
    makeRow(
      headRow,
      [{ text: '信息内容', span: 1, proto: headLabel }, ...labels.map(([text, span]) => ({ text, span, proto: headCell }))],
      widths,
    );
  const data = (label: string, spans: number[]) =>
    makeRow(dataRow, [{ text: label, span: 1, proto: dataLabel }, ...spans.map((span) => ({ text: '', span, proto: dataCell }))], widths);
  const counts: [string, number][] = [
    ['上一年项目数量', 1],
    ['本年增/减', 1],
    ['处理决定数量', 1],
  ];
  const built = [
    title('第二十条第（一）项'),
    head([
      ['本年新制作数量', 1],
      ['本年新公开数量', 1],
      ['对外公开总数量', 1],
    ]),
    data('规章', [1, 1, 1]),
    data('规范性文件', [1, 1, 1]),
    title('第二十条第（五）项'),
    head(counts),
    data('行政许可', [1, 1, 1]),
    data('其他对外管理服务事项', [1, 1, 1]),
    title('第二十条第（六）项'),
    head(counts),
    data('行政处罚', [1, 1, 1]),
    data('行政强制', [1, 1, 1]),
    title('第二十条第（八）项'),
    head([
      ['上一年项目数量', 1],
      ['本年增/减', 2],
    ]),
    data('行政事业性收费', [1, 2]),
    title('第二十条第（九）项'),
    head([
      ['采购项目数量', 1],
      ['采购总金额', 2],
    ]),
    data('政府集中采购', [1, 2]),
  ];
  const list = kids(t2);
  const first = list.findIndex((n) => tag(n) === 'w:tr');
  const rest = list.filter((n) => tag(n) !== 'w:tr');
  list.length = 0;
  list.push(...rest.slice(0, first), ...built, ...rest.slice(first));
}

/** Table 3 with the single （六）其他处理 row of the 2019 form: the label spans columns B:C, sub-rows removed. */
function singleOtherRow(t3: Node): void {
  const widths = gridWidths(t3);
  const all = rows(t3);
  const i = all.findIndex((tr) => cells(tr).some((tc) => cellText(tc) === '（六）其他处理'));
  if (i < 0) throw new Error('（六）其他处理 not found');
  const tr = all[i];
  const label = gridCell(tr, 1);
  const item = gridCell(tr, 2);
  shapeCell(label, 1, 2, widths);
  const list = kids(tr);
  list.splice(list.indexOf(item), 1);
  const tl = kids(t3);
  tl.splice(tl.indexOf(all[i + 1]), 1);
  tl.splice(tl.indexOf(all[i + 2]), 1);
}

function cellText(tc: Node): string {
  return children(tc, 'w:p').map(paragraphText).join('');
}

function setRunProps(scope: Node, edit: (rPr: Node) => void): void {
  walk([scope], (n) => {
    if (tag(n) === 'w:r') edit(props(n, 'w:rPr'));
    if (tag(n) === 'w:pPr') edit(props(n, 'w:rPr'));
  });
}

function fontSize(scope: Node, halfPoints: number): void {
  setRunProps(scope, (rPr) => {
    setProp(rPr, 'w:sz', { 'w:val': String(halfPoints) });
    setProp(rPr, 'w:szCs', { 'w:val': String(halfPoints) });
  });
}

function font(scope: Node, name: string): void {
  setRunProps(scope, (rPr) => setProp(rPr, 'w:rFonts', { 'w:ascii': name, 'w:hAnsi': name, 'w:eastAsia': name, 'w:cs': name }));
}

function setWidths(tbl: Node, widths: number[]): void {
  const g = child(tbl, 'w:tblGrid')!;
  children(g, 'w:gridCol').forEach((c, i) => ((c[':@'] as Record<string, string>)['@_w:w'] = String(widths[i])));
  for (const tr of rows(tbl)) {
    const trPr = child(tr, 'w:trPr');
    const before = trPr && child(trPr, 'w:gridBefore');
    let col = before ? Number((before[':@'] as Record<string, string>)['@_w:val']) : 0;
    for (const tc of cells(tr)) {
      const tcPr = props(tc, 'w:tcPr');
      const span = child(tcPr, 'w:gridSpan');
      const n = span ? Number((span[':@'] as Record<string, string>)['@_w:val']) : 1;
      setProp(tcPr, 'w:tcW', { 'w:w': String(widths.slice(col, col + n).reduce((a, b) => a + b, 0)), 'w:type': 'dxa' });
      col += n;
    }
  }
}

const EXTRA_STYLES = `<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:qFormat/><w:pPr><w:keepNext/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:ind w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="楷体" w:hAnsi="楷体" w:eastAsia="楷体"/><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>`;

const NUMBERING = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%1）"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`;

function paragraph(proto: Node, text: string, style?: string): Node {
  const p = clone(proto);
  if (style) setProp(props(p, 'w:pPr'), 'w:pStyle', { 'w:val': style });
  setParagraphText(p, text);
  return p;
}

function n(v: Values, k: string): number {
  return v[k]?.value ?? 0;
}

export function buildFixture(template: Record<string, Uint8Array>, spec: FixtureSpec): Built {
  const values = makeValues(spec.form, spec.seed, spec.profile);
  // Narrative states the true numbers even when a printed total is wrong, as real reports do.
  const narrativeValues = { ...values };
  for (const [k, v] of Object.entries(spec.wrongTotals?.(values) ?? {})) values[k] = { value: v, text: String(v) };

  const doc = parse(strFromU8(template['word/document.xml']));
  stripIds(doc);
  const b = body(doc);
  const bodyList = kids(b);
  const paras = children(b, 'w:p');
  const find = (t: string) => {
    const p = paras.find((x) => paragraphText(x) === t);
    if (!p) throw new Error(`paragraph not found: ${t}`);
    return p;
  };
  const [descIntro, descProblems] = paras.filter((p) => paragraphText(p) === '（文字描述）');
  const fonts = spec.look === 'fonts';

  // Title, preamble and narrative.
  const titleText = `${spec.agency}${spec.year}年度政府信息公开工作年度报告`;
  const titleP = find('政府信息公开工作年度报告格式模板');
  setParagraphText(titleP, titleText);
  if (fonts) setProp(props(titleP, 'w:pPr'), 'w:pStyle', { 'w:val': 'Title' });
  const notice =
    spec.form === '2019'
      ? '《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）'
      : '《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）';
  const preamble = paragraph(
    descIntro,
    `本报告根据《中华人民共和国政府信息公开条例》和${notice}的要求编制。本报告中所列数据的统计期限自${spec.year}年1月1日起至${spec.year}年12月31日止。`,
  );
  bodyList.splice(bodyList.indexOf(titleP) + 1, 0, preamble);
  const nv = narrativeValues;
  setParagraphText(
    descIntro,
    `${spec.year}年，${spec.agency}全年新收政府信息公开申请${n(nv, 't3.new.total')}件，上年结转${n(nv, 't3.carried_over.total')}件，` +
      `办结${n(nv, 't3.total.total')}件，结转下年度继续办理${n(nv, 't3.carried_forward.total')}件。` +
      `发生政府信息公开行政复议${n(nv, 't4.review.upheld') + n(nv, 't4.review.corrected') + n(nv, 't4.review.other') + n(nv, 't4.review.pending')}件。`,
  );
  if (fonts) {
    const subs = ['主动公开情况', '依申请公开情况', '政府信息管理情况', '平台建设情况'];
    const at = bodyList.indexOf(descIntro) + 1;
    bodyList.splice(at, 0, ...subs.map((s) => paragraph(descIntro, s, 'Heading2')));
  }
  setParagraphText(descProblems, '一是主动公开的及时性有待提高；二是依申请公开答复的规范化程度仍需加强。下一步将加强培训，完善工作机制。');
  setParagraphText(find('（文字描述，收取信息处理费情况在此处报告。）'), `${spec.year}年，本机关未收取信息处理费。`);
  if (fonts) {
    for (const h of [
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]) {
      setProp(props(find(h), 'w:pPr'), 'w:pStyle', { 'w:val': 'Heading1' });
    }
  }

  // Tables: shape, then values.
  const [t2, t3, t4] = tables(doc);
  if (spec.form === '2019') rebuildTable2For2019(t2);
  if (spec.form !== '2021') singleOtherRow(t3);
  const printed: Record<string, string> = {};
  const fields: Record<string, number | null> = {};
  const raw: Record<string, string> = {};
  const tbls = [t2, t3, t4];
  for (const s of slots(spec.form)) {
    const v: Printed = values[s.key];
    if (!v) throw new Error(`no value for ${s.key}`);
    const text = spec.blankZeros && v.value === 0 ? '' : v.text;
    setCellText(gridCell(rows(tbls[s.table])[s.row], s.col), text);
    printed[s.key] = text;
    fields[s.key] = text === '' ? null : v.value;
    if (text !== '' && text !== String(v.value)) raw[s.key] = text;
  }

  // Looks.
  if (spec.look === 'long' || spec.look === 'long-repeat') {
    fontSize(t3, 26);
    for (const tr of rows(t3)) setProp(props(tr, 'w:trPr'), 'w:trHeight', { 'w:val': '820', 'w:hRule': 'atLeast' });
    if (spec.look === 'long-repeat') for (const tr of rows(t3).slice(0, 3)) setProp(props(tr, 'w:trPr'), 'w:tblHeader', {});
  }
  if (fonts) {
    font(t2, '宋体');
    font(t3, '仿宋');
    font(t4, '黑体');
    const looks: Record<string, string> = { Title: '黑体', Heading1: '黑体', Heading2: '楷体' };
    for (const p of children(b, 'w:p')) {
      const st = child(props(p, 'w:pPr'), 'w:pStyle');
      font(p, looks[(st && getAttr(st, 'w:val')) ?? ''] ?? '仿宋_GB2312');
    }
    setWidths(t3, [520, 1180, 3400, 760, 700, 700, 760, 760, 640, 700]);
    setWidths(t4, [620, 620, 620, 620, 700, 640, 640, 640, 640, 700, 640, 640, 640, 640, 700]);
  }

  // Package.
  const files: Record<string, Uint8Array | string> = { ...template };
  files['word/document.xml'] = build(doc);
  if (fonts) {
    files['word/styles.xml'] = strFromU8(template['word/styles.xml']).replace('</w:styles>', EXTRA_STYLES + '</w:styles>');
    files['word/numbering.xml'] = NUMBERING;
    files['word/_rels/document.xml.rels'] = strFromU8(template['word/_rels/document.xml.rels']).replace(
      '</Relationships>',
      '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>',
    );
    files['[Content_Types].xml'] = strFromU8(template['[Content_Types].xml']).replace(
      '</Types>',
      '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>',
    );
  }
  if (spec.coreTitle) {
    files['docProps/core.xml'] = strFromU8(template['docProps/core.xml']).replace(
      /(<cp:coreProperties[^>]*>)/,
      `$1<dc:title>${escapeXml(titleText)}</dc:title>`,
    );
  }
  const docx = writePackage(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])));

  const gold: Gold = {
    file: `${spec.name}.docx`,
    agency: spec.agency,
    year: spec.year,
    template: spec.form === '2019' ? '2019' : '2021',
    fields,
    raw,
    ambiguous: [],
    absent_rows: absentRows(spec.form),
    source_inconsistencies: inconsistencies(
      spec.form,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, printed[k] === '' ? { value: 0, text: '' } : v])),
    ),
    notes: spec.notes,
    kind: 'docx',
  };
  return { docx, gold, printed };
}
