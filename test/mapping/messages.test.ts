/** Mapping's warnings say where: the row they are about (vfile-style place), and which stage raised them. */
import { describe, expect, it } from 'vitest';
import { processBytes } from '../../src/pipeline/process.js';

const html = (rows: string) =>
  Buffer.from(`<html><head><meta charset="utf-8"><title>示范局2023年政府信息公开工作年度报告</title></head><body>
<p>三、收到和处理政府信息公开申请情况</p>
<table>
<tr><td colspan="3" rowspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>
${rows}
</table></body></html>`);

describe('mapping messages', () => {
  it('a row with the wrong number of cells is reported with its table and row', async () => {
    const { doc } = await processBytes({
      bytes:
        html(`<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>21</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>1</td><td>2</td><td>3</td></tr>`),
      name: 'x.html',
    });
    const w = doc.warnings.find((m) => m.code === 't3-row-shape');
    expect(w).toBeDefined();
    expect(w!.source).toBe('mapping');
    expect(w!.place).toMatchObject({ table: 0, row: 3 });
    expect(w!.place).not.toHaveProperty('col');
    // The first row was mapped from the row before it.
    expect(doc.fields['t3.new.total'].source).toMatchObject({ table: 0, row: 2 });
  });
});
