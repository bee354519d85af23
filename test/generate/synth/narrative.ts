/**
 * The free text around the tables: title, preamble and sections 一…六.
 * It carries numbers on purpose (counts of posts, phone numbers, restated
 * totals) because real reports do and a reader must not take them for cells.
 */
import { SECTION_HEADINGS } from './form.js';
import { createRng } from './prng.js';
import type { SynthReport } from './types.js';
import { formatNumber, reportSeed } from './values.js';

export interface Section {
  heading: string;
  paragraphs: string[];
}

export interface Narrative {
  title: string;
  preamble: string[];
  sections: Section[];
}

export function reportTitle(r: SynthReport): string {
  return `${r.agency}${r.year}年政府信息公开工作年度报告`;
}

export function periodSentence(year: number): string {
  return `本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`;
}

export function narrative(r: SynthReport): Narrative {
  const rng = createRng(reportSeed(r)).fork(21);
  const y = r.year;
  const n = (min: number, max: number): number => rng.int(min, max);
  const preamble = [
    `根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和${r.template === '2021' ? '《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）' : '《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）'}要求，编制本报告。本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分。${periodSentence(y)}本报告电子版可在${r.agency}门户网站下载。如对本报告有疑问，请与${r.agency}办公室联系（地址：人民路${n(1, 300)}号，邮编：${n(100000, 850000)}，电话：0${n(10, 999)}-${n(2000000, 89999999)}）。`,
  ];
  const newTotal = r.values['t3.new.total'];
  const overTotal = r.values['t3.carried_over.total'];
  const general = [
    `${y}年，${r.agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，不断提升政务公开质量和实效。`,
    '（一）主动公开',
    `全年通过门户网站主动公开政府信息${n(100, 9999)}条，其中机构职能类信息${n(5, 200)}条，政策文件类信息${n(5, 300)}条，规划计划类信息${n(1, 50)}条。发布政策解读${n(1, 120)}篇，回应社会关切${n(0, 40)}次，召开新闻发布会${n(0, 30)}场。`,
    '（二）依申请公开',
    newTotal !== null && newTotal !== undefined && overTotal !== null && overTotal !== undefined
      ? `严格落实依申请公开工作规范。全年共收到政府信息公开申请${formatNumber(newTotal)}件，上年结转${formatNumber(overTotal)}件，均在法定期限内予以答复。`
      : '严格落实依申请公开工作规范，所有申请均在法定期限内予以答复。',
    '（三）政府信息管理',
    `完善公文公开属性源头认定机制，全年清理行政规范性文件${n(1, 90)}件，更新政府信息公开指南${n(1, 3)}次。`,
    '（四）平台建设',
    `政务新媒体全年发布信息${n(200, 20000)}条，粉丝数达${n(1000, 999999)}人，网站访问量${n(10000, 9999999)}人次。`,
    ...(r.statements ?? []),
  ];
  const problems = [
    `${y}年，我单位政府信息公开工作取得了一定成效，但也存在一些不足：一是政策解读形式较为单一；二是部分栏目信息更新不够及时；三是工作人员业务能力有待提升。`,
    `下一步，将采取以下措施加以改进：一是丰富政策解读形式，运用图解、视频等方式提高解读效果；二是加强栏目日常巡查，每季度开展${n(1, 4)}次检查；三是加强业务培训，全年组织培训不少于${n(1, 6)}次。`,
  ];
  const fee = rng.chance(0.8) ? `${y}年，无收取信息处理费情况。` : `${y}年，共收取信息处理费${n(1, 900)}元。`;
  const other = r.template === '2021' ? [fee, `本年度办理人大代表建议${n(0, 60)}件、政协提案${n(0, 80)}件。`] : ['无。'];
  const paragraphs: string[][] = [general, [], [], [], problems, other];
  return {
    title: reportTitle(r),
    preamble,
    sections: SECTION_HEADINGS.map((heading, i) => ({ heading, paragraphs: paragraphs[i] })),
  };
}
