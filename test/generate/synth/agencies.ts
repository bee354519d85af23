/** Plausible agency names, composed from real place and bureau names (all GBK-encodable). */
import type { Rng } from './prng.js';

const PLACES: readonly [string, string][] = [
  ['上海市', '浦东新区'],
  ['上海市', '徐汇区'],
  ['四平市', '铁东区'],
  ['淮安市', '洪泽区'],
  ['杭州市', '西湖区'],
  ['成都市', '武侯区'],
  ['福州市', '鼓楼区'],
  ['平潭综合实验区', ''],
  ['南京市', '玄武区'],
  ['广州市', '天河区'],
  ['武汉市', '江汉区'],
  ['西安市', '雁塔区'],
  ['长沙市', '岳麓区'],
  ['郑州市', '金水区'],
  ['济南市', '历下区'],
  ['怀化市', '鹤城区'],
  ['三明市', '沙县区'],
  ['宁国市', ''],
];

const BUREAUS: readonly string[] = [
  '人民政府',
  '人民政府办公室',
  '发展和改革委员会',
  '教育局',
  '科学技术局',
  '公安局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源和规划局',
  '生态环境局',
  '住房和城乡建设局',
  '交通运输局',
  '水利局',
  '农业农村局',
  '商务局',
  '文化和旅游局',
  '卫生健康委员会',
  '应急管理局',
  '审计局',
  '市场监督管理局',
  '统计局',
  '医疗保障局',
  '政务服务局',
  '城市管理局',
];

export function randomAgency(rng: Rng): string {
  const [city, district] = rng.pick(PLACES);
  const bureau = rng.pick(BUREAUS);
  // Some reports come from the city level, most from districts.
  if (district && rng.chance(0.7)) return `${city}${district}${bureau}`;
  return `${city}${bureau}`;
}
