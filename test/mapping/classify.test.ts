/**
 * Reports and the pages around them (issue 13): notices, 图解, corrections,
 * other kinds of report and unrelated pages never become a report; genuine
 * reports stay reports with their agency, also when their tables are images
 * or their title is wrapped in a 公告.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocumentKind } from '../../src/contract/document.js';
import { agencyFromTitle, plausibleAgency, publishingUnit } from '../../src/mapping/agency.js';
import { classifyDocument, kindOfTitle } from '../../src/mapping/classify.js';
import { processBytes } from '../../src/pipeline/process.js';
import { randomReport, renderHtml, reportTitle } from '../generate/synth/index.js';
import { textDocx, textPdf } from '../generate/text-documents.js';
import { ROOT } from '../helpers/gold.js';
import { doc, para } from '../helpers/model.js';

const DIR = join(ROOT, 'test/fixtures/distractors');
const files = readdirSync(DIR).sort();

const KIND_OF_PREFIX: Record<string, DocumentKind> = {
  notice: 'notice',
  interpretation: 'interpretation',
  correction: 'correction',
  other: 'other-report',
  unrelated: 'unrelated',
  report: 'report',
};

function expectedKind(file: string): DocumentKind {
  return KIND_OF_PREFIX[file.split('-')[0]];
}

async function read(bytes: Uint8Array, name: string) {
  return (await processBytes({ bytes, name })).doc;
}

describe('pages around reports are no reports (fixtures)', () => {
  const distractors = files.filter((f) => expectedKind(f) !== 'report');

  it('several of each kind', () => {
    for (const kind of ['notice', 'interpretation', 'correction', 'other-report', 'unrelated'] as DocumentKind[]) {
      expect(distractors.filter((f) => expectedKind(f) === kind).length, kind).toBeGreaterThanOrEqual(3);
    }
  });

  for (const file of distractors) {
    it(`${file}: ${expectedKind(file)}, no report, no fields, a reason`, async () => {
      const d = await read(readFileSync(join(DIR, file)), file);
      expect(d.errors).toEqual([]);
      expect(d.classification?.kind).toBe(expectedKind(file));
      expect(d.classification?.reason).toMatch(/\S{10}/);
      expect(d.report).toBeNull();
      expect(d.fields).toEqual({});
      expect(d.findings).toEqual([]);
    });
  }

  it('each kind says what decided it', async () => {
    const code = async (f: string) => (await read(readFileSync(join(DIR, f)), f)).classification?.code;
    expect(await code('other-government-work-report-2025.txt')).toBe('government-work-report');
    expect(await code('other-law-based-government-2024.html')).toBe('law-based-government-report');
    expect(await code('other-website-report-2024.html')).toBe('website-report');
    expect(await code('unrelated-column-page.html')).toBe('generic-title');
    expect(await code('notice-form-template.html')).toBe('notice-title');
  });
});

describe('corrections name the report they correct', () => {
  const cases: [string, string, string, number][] = [
    ['correction-qingshan-2023.html', '青山县人民政府2023年政府信息公开工作年度报告', '青山县人民政府', 2023],
    ['correction-cangwu-nature-2022.txt', '苍梧市自然资源局2022年政府信息公开工作年度报告', '苍梧市自然资源局', 2022],
    ['correction-ningyang-2021.html', '宁阳区2021年度政府信息公开工作年度报告', '宁阳区', 2021],
  ];
  for (const [file, title, agency, year] of cases) {
    it(`${file}: ${agency} ${year}`, async () => {
      const d = await read(readFileSync(join(DIR, file)), file);
      expect(d.classification?.corrects).toEqual({ title, agency, year });
    });
  }
});

describe('genuine reports stay reports', () => {
  it('tables as images: a report of template unknown with its no-tables warning', async () => {
    const d = await read(readFileSync(join(DIR, 'report-tables-as-images.html')), 'x.html');
    expect(d.classification?.kind).toBe('report');
    expect(d.report).toMatchObject({ agency: '青山县东河镇人民政府', year: 2023, template: 'unknown' });
    expect(d.warnings.map((w) => w.code)).toContain('no-tables');
  });

  it('no agency in the title: the signature above the date names it', async () => {
    const d = await read(readFileSync(join(DIR, 'report-agency-in-signature.txt')), 'x.txt');
    expect(d.report).toMatchObject({ agency: '青山县林业局', year: 2023 });
    expect(d.warnings.map((w) => w.code)).not.toContain('agency-unknown');
  });

  it('no agency anywhere: agency-unknown instead of a guess', async () => {
    const d = await read(readFileSync(join(DIR, 'report-no-agency.txt')), 'x.txt');
    expect(d.report).toMatchObject({ agency: null, year: 2022 });
    expect(d.warnings.map((w) => w.code)).toContain('agency-unknown');
  });

  it('a whole report published under a 公告 title is a report, with the agency inside the title', async () => {
    const r = randomReport(1301, { template: '2021' });
    const { bytes, name } = renderHtml(r, 'official');
    const title = reportTitle(r);
    const wrapped = new TextEncoder().encode(new TextDecoder().decode(bytes).split(title).join(`关于公布${title}的公告`));
    const d = await read(wrapped, name);
    expect(d.classification).toMatchObject({ kind: 'report', code: 'report-in-wrapper' });
    expect(d.report).toMatchObject({ agency: r.agency, year: r.year, template: '2021' });
    expect(Object.keys(d.fields).length).toBeGreaterThan(100);
  });

  it('every synthesized report keeps its agency (other seeds and layouts: test/variants.test.ts)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = randomReport(seed);
      const d = await read(renderHtml(r, 'portal').bytes, `s${seed}.html`);
      expect(d.classification?.kind, `seed ${seed}`).toBe('report');
      expect(d.report?.agency, `seed ${seed}`).toBe(r.agency);
    }
  });

  it('every corpus report is classified a report from its title', async () => {
    for (const f of readdirSync(join(ROOT, 'corpus')).filter((x) => !x.endsWith('.json'))) {
      const d = await read(readFileSync(join(ROOT, 'corpus', f)), f);
      expect(d.classification, f).toMatchObject({ kind: 'report', code: 'report-title' });
      expect(d.report?.agency, f).toBeTruthy();
    }
  });
});

/** TXT fixtures as PDF and DOCX: classification is format-blind. */
describe('the same pages as PDF and DOCX', () => {
  const txt = files.filter((f) => f.endsWith('.txt'));
  for (const file of txt) {
    const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
    for (const [fmt, make] of [
      ['pdf', textPdf],
      ['docx', textDocx],
    ] as const) {
      it(`${file} as ${fmt}: ${expectedKind(file)}`, async () => {
        const d = await read(make(lines), file.replace(/\.txt$/, `.${fmt}`));
        expect(d.errors).toEqual([]);
        expect(d.classification?.kind).toBe(expectedKind(file));
        if (expectedKind(file) !== 'report') expect(d.report).toBeNull();
        else expect(d.report).not.toBeNull();
      });
    }
  }

  it('the signature names the agency in a PDF too', async () => {
    const lines = readFileSync(join(DIR, 'report-agency-in-signature.txt'), 'utf8').split('\n');
    const d = await read(textPdf(lines), 'x.pdf');
    expect(d.report).toMatchObject({ agency: '青山县林业局', year: 2023 });
  });
});

describe('titles', () => {
  const cases: [string, DocumentKind | null][] = [
    ['关于做好2024年政府信息公开工作年度报告编制发布工作的通知', 'notice'],
    ['一图读懂《青山县人民政府2024年政府信息公开工作年度报告》', 'interpretation'],
    ['青山县2023年政府信息公开工作年度报告（图解）', 'interpretation'],
    ['关于《某局2023年政府信息公开工作年度报告》的更正说明', 'correction'],
    ['某局2023年政府信息公开工作年度报告（更正版）', 'report'],
    ['某区人民政府2023年政府信息公开工作年度报告_某区人民政府门户网站', 'report'],
    ['某区2023年政府信息公开工作年度报告（全文）', 'report'],
    ['某县人民政府关于2023年度政府信息公开工作情况的报告', 'report'],
    ['2023年度政务公开工作年度报告', 'report'],
    ['2025年青山县人民政府工作报告', 'other-report'],
    ['青山县2024年法治政府建设年度报告', 'other-report'],
    ['政府网站工作年度报表（2023年度）', 'other-report'],
    ['关于2023年度政府信息公开工作考核结果的通报', 'notice'],
    ['政府信息公开工作年度报告格式', 'unrelated'],
    ['政府信息公开工作年度报告编制指引', 'notice'],
    ['青山县2023年政府信息公开工作年度报告第三方评估报告', 'other-report'],
    ['青山县2023年政府信息公开工作年度报告.pdf', 'report'],
    ['铁东区政务服务局2023年度政府信息公开工作', 'report'],
    ['通知公告', null],
    ['我市召开2024年政务公开工作推进会', null],
  ];
  for (const [title, kind] of cases) {
    it(`${title} → ${kind}`, () => expect(kindOfTitle(title)?.kind ?? null).toBe(kind));
  }
});

describe('agency names', () => {
  it('fragments are never an agency', () => {
    expect(agencyFromTitle('关于做好2024年政府信息公开工作年度报告编制发布工作的通知')).toBeNull();
    expect(agencyFromTitle('一图读懂《青山县人民政府2024年政府信息公开工作年度报告》')).toBe('青山县人民政府');
    expect(plausibleAgency('做好')).toBeNull();
    expect(plausibleAgency('一图读懂《青山县人民政府')).toBeNull();
    expect(plausibleAgency('青山县人民政府门户网站2024年度工作')).toBeNull();
  });

  it('real names pass, as the corpus prints them', () => {
    for (const a of ['上海市科委', '平潭综合实验区管委会', '某某县喆城街道办事处', '铁东区政务服务局', '上海市人民政府办公厅']) {
      expect(plausibleAgency(a)).toBe(a);
    }
    expect(agencyFromTitle('关于公布青山县应急管理局2023年政府信息公开工作年度报告的公告')).toBe('青山县应急管理局');
    expect(agencyFromTitle('青山县人民政府关于2023年度政府信息公开工作情况的报告')).toBe('青山县人民政府');
  });

  it('the publishing unit: a 发布机构 line when there is no signature', () => {
    const m = doc([para('某某年度报告'), para('发布机构：青山县审计局　发布日期：2024-01-20'), para('正文……')]);
    expect(publishingUnit(m)).toBe('青山县审计局');
  });
});

describe("the container's title", () => {
  const body = [
    para('青山县审计局2023年政府信息公开工作年度报告'),
    para('本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。'),
    para('一、总体情况'),
    para('二、主动公开政府信息情况'),
    para('三、收到和处理政府信息公开申请情况'),
    para('四、政府信息公开行政复议、行政诉讼情况'),
  ];

  it('left over from another file (a notice) does not outvote a report printed in the body', () => {
    const m = doc(body, '关于做好2023年政府信息公开工作年度报告编制发布工作的通知');
    expect(classifyDocument(m, '青山县审计局2023年政府信息公开工作年度报告', {})).toMatchObject({ kind: 'report', code: 'report-title' });
  });

  it('but names the page when the body has no report in it (a 图解 whose only report title is a link)', () => {
    const m = doc(
      [para('相关链接：青山县2023年政府信息公开工作年度报告'), para('全年主动公开政府信息1234条。')],
      '图解：青山县2023年政府信息公开工作年度报告',
    );
    expect(classifyDocument(m, '相关链接：青山县2023年政府信息公开工作年度报告', {}).kind).toBe('interpretation');
  });
});
