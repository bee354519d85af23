/*
 * ogi review site: draws the index, report and agency pages from the data
 * each page carries (window.OGI_INDEX / OGI_REPORT / OGI_AGENCY, OGI_FORM).
 * Plain script, no modules, no requests: it runs from file:// as is.
 */
(function () {
  'use strict';
  var ROOT = document.body.getAttribute('data-root') || '';
  var FORM = window.OGI_FORM || null;

  // ---- small DOM helpers ----
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null || attrs[k] === false) continue;
        if (k === 'text') el.textContent = attrs[k];
        else if (k === 'html') el.innerHTML = attrs[k];
        else if (k === 'class') el.className = attrs[k];
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), attrs[k]);
        else el.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child))
      child.forEach(function (c) {
        add(el, c);
      });
    else el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function app() {
    var el = document.getElementById('app');
    el.innerHTML = '';
    return el;
  }
  function top(extra) {
    return h('header', { class: 'top' }, h('a', { class: 'brand', href: ROOT + 'index.html' }, 'ogi review'), extra || null);
  }
  function pill(text, cls, title) {
    return h('span', { class: 'pill ' + (cls || ''), title: title }, text);
  }
  function confClass(c) {
    return c >= 0.8 ? 'c-hi' : c >= 0.5 ? 'c-mid' : 'c-lo';
  }
  /** A field's printed place (its source), in words: page and box, or table, row and column, and how it was read. */
  function place(s) {
    if (!s || typeof s !== 'object') return String(s || '');
    var parts = [];
    if (s.page !== undefined) parts.push('page ' + s.page);
    if (s.bbox)
      parts.push(
        '[' +
          s.bbox
            .map(function (v) {
              return Math.round(v * 10) / 10;
            })
            .join(', ') +
          ']',
      );
    if (!s.bbox && s.table !== undefined) parts.push('table ' + (s.table + 1));
    if (!s.bbox && s.row !== undefined) parts.push('row ' + (s.row + 1) + ', column ' + ((s.col || 0) + 1));
    if (s.line !== undefined) parts.push('line ' + s.line);
    if (s.block !== undefined && s.chars) parts.push('block ' + s.block + ', characters ' + s.chars[0] + '–' + s.chars[1]);
    if (s.image) parts.push('image ' + s.image);
    if (s.rowLabel) parts.push('row “' + s.rowLabel + '”');
    if (s.colLabel) parts.push('column “' + s.colLabel + '”');
    parts.push('(' + s.method + ')');
    return parts.join(' · ');
  }
  function shown(f) {
    // f = [value, raw, confidence, flags, source]
    if (!f) return '';
    if (f[1] !== '' && f[1] !== undefined && f[1] !== null) return f[1];
    return f[0] === null ? '' : String(f[0]);
  }
  var SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
  var RULE_HELP = {
    't3-balance': 'Table 3: 一 + 二 = （七）总计 + 四',
    't3-results-sum': 'Table 3: （七）总计 = sum of the result rows',
    't3-row-sum': 'Table 3: 总计 column = the six applicant columns',
    't4-sum': 'Table 4: 总计 = 维持 + 纠正 + 其他 + 尚未审结',
    carryover: '上年结转 (year N) = 结转下年度 (year N−1), same agency',
    'text-vs-table': 'a number the text states contradicts the table',
    'copied-report': 'tables 2–4 identical to another report',
    'silent-edit': 'the published report changed after it was first stored',
    'yoy-outlier': 'a total jumps by a large factor against last year',
  };

  // ---- index page ----
  function indexPage() {
    var D = window.OGI_INDEX;
    var agencies = D.agencies;
    var reports = D.reports;
    var reportById = {};
    reports.forEach(function (r) {
      reportById[r.i] = r;
    });
    var findingsOf = {};
    D.findings.forEach(function (f) {
      (findingsOf[f.r] = findingsOf[f.r] || []).push(f);
    });
    var rules = {},
      years = {},
      templates = {};
    D.findings.forEach(function (f) {
      rules[f.rule] = (rules[f.rule] || 0) + 1;
    });
    reports.forEach(function (r) {
      if (r.y !== null) years[r.y] = 1;
      templates[r.t] = 1;
    });

    // Reports with findings first; with no finding at all, every report (an empty index would say nothing).
    var state = readHash({
      tab: 'matrix',
      rule: '',
      sev: '',
      agency: '',
      year: '',
      tpl: '',
      rev: '',
      q: '',
      only: D.findings.length ? '1' : '0',
      page: '0',
    });
    var root = app();
    root.appendChild(top(h('span', { class: 'muted' }, D.source)));
    var main = h('main');
    root.appendChild(main);
    var sevCount = { error: 0, warning: 0, info: 0 };
    D.findings.forEach(function (f) {
      sevCount[f.s] = (sevCount[f.s] || 0) + 1;
    });
    main.appendChild(h('h1', null, 'Findings by agency and year'));
    main.appendChild(
      h(
        'p',
        { class: 'muted' },
        reports.length + ' reports · ' + agencies.length + ' agencies · ' + D.findings.length + ' findings (',
        pill(sevCount.error + ' error', 'sev-error'),
        ' ',
        pill(sevCount.warning + ' warning', 'sev-warning'),
        ' ',
        pill(sevCount.info + ' info', 'sev-info'),
        ') · built ' + D.generated.slice(0, 16).replace('T', ' '),
      ),
    );

    // Any change of filter or tab starts again at the first page.
    function setFilter(key, value) {
      state[key] = value;
      state.page = '0';
      refresh();
    }

    function select(name, label, options) {
      var s = h('select', { name: name, id: 'f-' + name });
      options.forEach(function (o) {
        s.appendChild(h('option', { value: o[0] }, o[1]));
      });
      s.value = state[name];
      s.addEventListener('change', function () {
        setFilter(name, s.value);
      });
      return h('label', null, label, s);
    }
    var ruleOpts = [['', 'all rules']].concat(
      Object.keys(rules)
        .sort()
        .map(function (r) {
          return [r, r + ' (' + rules[r] + ')'];
        }),
    );
    var yearOpts = [['', 'all years']].concat(
      Object.keys(years)
        .sort()
        .reverse()
        .map(function (y) {
          return [y, y];
        }),
    );
    var tplOpts = [['', 'all templates']].concat(
      Object.keys(templates)
        .sort()
        .map(function (t) {
          return [t, t];
        }),
    );
    var agencyInput = h('input', {
      type: 'text',
      id: 'f-agency',
      list: 'agency-list',
      placeholder: 'agency name contains…',
      value: state.agency,
    });
    var datalist = h('datalist', { id: 'agency-list' });
    if (agencies.length <= 5000)
      agencies.forEach(function (a) {
        datalist.appendChild(h('option', { value: a }));
      });
    agencyInput.addEventListener(
      'input',
      debounce(function () {
        setFilter('agency', agencyInput.value.trim());
      }),
    );
    var search = h('input', { type: 'search', id: 'f-q', placeholder: 'search agency, title, message, finding id…', value: state.q });
    search.addEventListener(
      'input',
      debounce(function () {
        setFilter('q', search.value.trim());
      }),
    );
    var only = h('input', { type: 'checkbox', id: 'f-only' });
    only.checked = state.only === '1';
    only.addEventListener('change', function () {
      setFilter('only', only.checked ? '1' : '0');
    });
    main.appendChild(
      h(
        'div',
        { class: 'filters' },
        select('rule', 'rule', ruleOpts),
        select('sev', 'severity', [
          ['', 'any'],
          ['error', 'error'],
          ['warning', 'warning'],
          ['info', 'info'],
        ]),
        h('label', null, 'agency', agencyInput, datalist),
        select('year', 'year', yearOpts),
        select('tpl', 'template', tplOpts),
        select('rev', 'review', [
          ['', 'any'],
          ['none', 'not reviewed'],
          ['confirmed', 'confirmed'],
          ['dismissed', 'dismissed'],
        ]),
        h('label', null, 'search', search),
        h('label', { class: 'check' }, h('span', null, only, ' only reports with findings')),
      ),
    );
    var tabs = h('div', { class: 'tabs' });
    var tabMatrix = h('button', { type: 'button', id: 'tab-matrix' }, 'Agencies × years');
    var tabList = h('button', { type: 'button', id: 'tab-findings' }, 'Findings');
    tabMatrix.addEventListener('click', function () {
      setFilter('tab', 'matrix');
    });
    tabList.addEventListener('click', function () {
      setFilter('tab', 'findings');
    });
    tabs.appendChild(tabMatrix);
    tabs.appendChild(tabList);
    main.appendChild(tabs);
    var body = h('div', { id: 'results' });
    main.appendChild(body);

    function findingMatches(f) {
      if (state.rule && f.rule !== state.rule) return false;
      if (state.sev && f.s !== state.sev) return false;
      if (state.rev === 'none' && f.v) return false;
      if ((state.rev === 'confirmed' || state.rev === 'dismissed') && f.v !== state.rev) return false;
      return true;
    }
    var findingFilter = function () {
      return !!(state.rule || state.sev || state.rev);
    };
    function reportMatches(r) {
      if (state.year && String(r.y) !== state.year) return false;
      if (state.tpl && r.t !== state.tpl) return false;
      if (state.agency && agencies[r.a].indexOf(state.agency) < 0) return false;
      return true;
    }
    function textMatches(r, fs) {
      if (!state.q) return true;
      var q = state.q.toLowerCase();
      if (agencies[r.a].toLowerCase().indexOf(q) >= 0 || (r.ti || '').toLowerCase().indexOf(q) >= 0) return true;
      return fs.some(function (f) {
        return f.m.toLowerCase().indexOf(q) >= 0 || f.id.toLowerCase() === q || f.rule === q;
      });
    }

    function refresh() {
      writeHash(state);
      tabMatrix.className = state.tab === 'matrix' ? 'on' : '';
      tabList.className = state.tab === 'findings' ? 'on' : '';
      body.innerHTML = '';
      var rows = [];
      reports.forEach(function (r) {
        if (!reportMatches(r)) return;
        var fs = (findingsOf[r.i] || []).filter(findingMatches);
        if ((findingFilter() || state.only === '1') && !fs.length) return;
        if (!textMatches(r, findingsOf[r.i] || [])) return;
        rows.push({ r: r, fs: fs });
      });
      if (state.tab === 'matrix') matrix(rows);
      else list(rows);
    }

    function pager(total, size, draw) {
      var pages = Math.max(1, Math.ceil(total / size));
      var p = Math.min(pages - 1, Math.max(0, Number(state.page) || 0));
      var prev = h('button', { type: 'button', disabled: p === 0 ? true : null }, '‹ previous');
      var next = h('button', { type: 'button', disabled: p >= pages - 1 ? true : null }, 'next ›');
      prev.addEventListener('click', function () {
        state.page = String(p - 1);
        refresh();
      });
      next.addEventListener('click', function () {
        state.page = String(p + 1);
        refresh();
      });
      body.appendChild(
        h(
          'div',
          { class: 'pager' },
          prev,
          h('span', { class: 'muted' }, 'page ' + (p + 1) + ' of ' + pages + ' · ' + total + ' rows'),
          next,
        ),
      );
      draw(p * size, Math.min(total, (p + 1) * size));
    }

    function worst(fs) {
      var s = 3;
      fs.forEach(function (f) {
        s = Math.min(s, SEVERITY_ORDER[f.s]);
      });
      return s === 0 ? 'sev-e' : s === 1 ? 'sev-w' : s === 2 ? 'sev-i' : '';
    }

    function matrix(rows) {
      var byAgency = {};
      var ys = {};
      rows.forEach(function (x) {
        (byAgency[x.r.a] = byAgency[x.r.a] || []).push(x);
        ys[x.r.y === null ? '?' : x.r.y] = 1;
      });
      var list = Object.keys(byAgency).map(Number);
      var count = function (a) {
        return byAgency[a].reduce(function (s, x) {
          return s + x.fs.length;
        }, 0);
      };
      list.sort(function (a, b) {
        return count(b) - count(a) || (agencies[a] < agencies[b] ? -1 : 1);
      });
      var yearCols = Object.keys(ys).sort();
      if (!list.length) {
        body.appendChild(h('p', { class: 'empty' }, 'No report matches these filters.'));
        return;
      }
      pager(list.length, 50, function (from, to) {
        var t = h('table', { class: 'grid matrix', id: 'matrix' });
        t.appendChild(
          h(
            'tr',
            null,
            h('th', null, 'agency'),
            h('th', null, 'findings'),
            yearCols.map(function (y) {
              return h('th', null, y);
            }),
          ),
        );
        list.slice(from, to).forEach(function (a) {
          var cells = {};
          byAgency[a].forEach(function (x) {
            (cells[x.r.y === null ? '?' : x.r.y] = cells[x.r.y === null ? '?' : x.r.y] || []).push(x);
          });
          var firstId = byAgency[a][0].r.i;
          t.appendChild(
            h(
              'tr',
              null,
              h('th', null, h('a', { href: ROOT + 'a/' + a + '.html', title: 'compare this agency’s years' }, agencies[a])),
              h('td', { class: 'cell' }, String(count(a))),
              yearCols.map(function (y) {
                var xs = cells[y];
                if (!xs) return h('td', { class: 'cell' });
                return h(
                  'td',
                  {
                    class:
                      'cell ' +
                      worst(
                        [].concat.apply(
                          [],
                          xs.map(function (x) {
                            return x.fs;
                          }),
                        ),
                      ),
                  },
                  xs.map(function (x) {
                    var byRule = {};
                    x.fs.forEach(function (f) {
                      byRule[f.rule] = (byRule[f.rule] || 0) + 1;
                    });
                    var tip =
                      Object.keys(byRule)
                        .map(function (k) {
                          return k + ': ' + byRule[k];
                        })
                        .join('\n') || 'no findings';
                    return h(
                      'a',
                      { href: ROOT + 'r/' + x.r.i + '.html', class: 'report-link', 'data-report': x.r.i, title: tip },
                      x.fs.length ? x.fs.length + ' ⚑' : '✓',
                      h('div', { class: 'small muted' }, Object.keys(byRule).sort().join(' ')),
                    );
                  }),
                );
              }),
            ),
          );
          void firstId;
        });
        body.appendChild(t);
      });
    }

    function list(rows) {
      var fs = [];
      rows.forEach(function (x) {
        (findingFilter() ? x.fs : findingsOf[x.r.i] || []).forEach(function (f) {
          if (findingMatches(f)) fs.push(f);
        });
      });
      if (state.q) {
        var q = state.q.toLowerCase();
        var narrowed = fs.filter(function (f) {
          return f.m.toLowerCase().indexOf(q) >= 0 || f.id.toLowerCase() === q || f.rule === q;
        });
        if (narrowed.length) fs = narrowed;
      }
      if (!fs.length) {
        body.appendChild(h('p', { class: 'empty' }, 'No finding matches these filters.'));
        return;
      }
      pager(fs.length, 100, function (from, to) {
        var t = h('table', { class: 'grid findings', id: 'findings' });
        t.appendChild(
          h(
            'tr',
            null,
            ['agency', 'year', 'rule', 'severity', 'message', 'review', 'id'].map(function (c) {
              return h('th', null, c);
            }),
          ),
        );
        fs.slice(from, to).forEach(function (f) {
          var r = reportById[f.r];
          t.appendChild(
            h(
              'tr',
              { 'data-rule': f.rule },
              h('td', null, h('a', { href: ROOT + 'a/' + r.a + '.html' }, agencies[r.a])),
              h('td', null, r.y === null ? '?' : String(r.y)),
              h('td', null, h('span', { title: RULE_HELP[f.rule] || '' }, f.rule)),
              h('td', null, pill(f.s, 'sev-' + f.s)),
              h('td', { class: 'msg' }, h('a', { href: ROOT + 'r/' + f.r + '.html#' + f.id, class: 'finding-link' }, f.m)),
              h('td', null, f.v ? pill(f.v, 'rev-' + f.v, f.nt || '') : h('span', { class: 'muted small' }, '—')),
              h('td', null, h('code', null, f.id)),
            ),
          );
        });
        body.appendChild(t);
      });
    }
    refresh();
  }

  function debounce(fn) {
    var t = null;
    return function () {
      clearTimeout(t);
      t = setTimeout(fn, 150);
    };
  }
  function readHash(defaults) {
    var out = {};
    for (var k in defaults) out[k] = defaults[k];
    var hash = location.hash.replace(/^#/, '');
    if (!hash) return out;
    hash.split('&').forEach(function (p) {
      var i = p.indexOf('=');
      if (i > 0) out[decodeURIComponent(p.slice(0, i))] = decodeURIComponent(p.slice(i + 1));
    });
    return out;
  }
  function writeHash(state) {
    var parts = [];
    for (var k in state) if (state[k]) parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(state[k]));
    history.replaceState(null, '', '#' + parts.join('&'));
  }

  // ---- the national form ----
  function formTables(fields, template, hits) {
    var out = [];
    if (!FORM) return out;
    var hasT2 = Object.keys(fields).some(function (k) {
      return k.indexOf('t2.') === 0;
    });
    var hasT3 = Object.keys(fields).some(function (k) {
      return k.indexOf('t3.') === 0;
    });
    var hasT4 = Object.keys(fields).some(function (k) {
      return k.indexOf('t4.') === 0;
    });
    var form = template === '2019' ? '2019' : '2021';
    if (hasT2) out.push(formTable(FORM.t2[form], fields, hits, 't2', 4));
    var triple = Object.keys(fields).some(function (k) {
      return /^t3\.other_(no_correction|unpaid_fee|misc)\./.test(k);
    });
    if (hasT3) out.push(formTable(triple ? FORM.t3.triple : FORM.t3.single, fields, hits, 't3', 3));
    if (hasT4) out.push(formTable(FORM.t4, fields, hits, 't4', 0));
    if (!out.length)
      out.push(h('p', { class: 'empty' }, 'No cell of the national form was read from this document (template ' + template + ').'));
    return out;
  }
  function formTable(tbl, fields, hits, id, labelCols) {
    var t = h('table', { class: 'form', id: 'form-' + id });
    tbl.header.forEach(function (row) {
      t.appendChild(
        h(
          'tr',
          null,
          row.map(function (c) {
            return h('th', { colspan: c[1] > 1 ? c[1] : null, rowspan: c[2] > 1 ? c[2] : null }, c[0]);
          }),
        ),
      );
    });
    tbl.rows.forEach(function (row) {
      var tr = h('tr');
      row.labels.forEach(function (c) {
        if (c[2] === 0) return;
        tr.appendChild(h('th', { class: 'lbl', colspan: c[1] > 1 ? c[1] : null, rowspan: c[2] > 1 ? c[2] : null }, c[0]));
      });
      for (var i = 0; i < row.keys.length; i++) {
        var key = row.keys[i];
        if (key === null) continue;
        var span = 1;
        while (i + span < row.keys.length && row.keys[i + span] === null) span++;
        tr.appendChild(valueCell(key, fields[key], hits[key], span));
      }
      t.appendChild(tr);
    });
    return h('div', null, h('h3', null, tbl.title), t);
  }
  function valueCell(key, f, hit, span) {
    var label = (FORM && FORM.labels[key]) || key;
    var cls = 'v ' + (f ? confClass(f[2]) : 'c-none');
    var tip = key + ' · ' + label;
    if (f)
      tip +=
        '\nvalue: ' +
        (f[0] === null ? '(none)' : f[0]) +
        ' · printed: “' +
        f[1] +
        '”\nconfidence ' +
        f[2] +
        (f[3].length ? ' · ' + f[3].join(', ') : '') +
        '\nread at: ' +
        place(f[4]);
    else tip += '\nnot in the document';
    if (hit) {
      cls += ' hit';
      tip +=
        '\n\n' +
        hit
          .map(function (x) {
            return '[' + x.n + '] ' + x.rule + ': ' + x.message;
          })
          .join('\n');
    }
    return h(
      'td',
      { class: cls, colspan: span > 1 ? span : null, 'data-key': key, title: tip },
      f ? shown(f) : '·',
      hit
        ? h(
            'sup',
            null,
            hit
              .map(function (x) {
                return h('a', { href: '#' + x.id }, String(x.n));
              })
              .reduce(function (acc, a, i) {
                if (i) acc.push(',');
                acc.push(a);
                return acc;
              }, []),
          )
        : null,
    );
  }

  // ---- report page ----
  function reportPage() {
    var R = window.OGI_REPORT;
    var root = app();
    root.appendChild(top(h('a', { href: ROOT + 'a/' + R.agencyIndex + '.html' }, R.agency)));
    var main = h('main');
    root.appendChild(main);
    var nav = h(
      'div',
      { class: 'nav' },
      h('a', { href: ROOT + 'index.html' }, '← all agencies'),
      h('span', { class: 'sep' }, '|'),
      R.prev
        ? h('a', { href: R.prev.id + '.html', id: 'prev-year', rel: 'prev' }, '‹ ' + R.prev.year)
        : h('span', { class: 'muted' }, 'no earlier year'),
      h('a', { href: ROOT + 'a/' + R.agencyIndex + '.html', id: 'compare-years' }, 'compare years'),
      R.next
        ? h('a', { href: R.next.id + '.html', id: 'next-year', rel: 'next' }, R.next.year + ' ›')
        : h('span', { class: 'muted' }, 'no later year'),
      R.sameYear.length
        ? h(
            'span',
            { class: 'muted' },
            'also for ' + R.year + ': ',
            R.sameYear.map(function (o) {
              return h('a', { href: o.id + '.html' }, 'report ' + o.id + ' ');
            }),
          )
        : null,
    );
    main.appendChild(nav);
    main.appendChild(h('h1', null, R.agency + ' ' + (R.year === null ? '' : R.year)));
    var src = [];
    if (R.doc) src.push(h('a', { href: ROOT + R.doc, id: 'source-doc', target: '_blank' }, 'source document (' + (R.format || '?') + ')'));
    if (R.sourceUrl) src.push(h('a', { href: R.sourceUrl, class: 'small', target: '_blank', rel: 'noreferrer' }, R.sourceUrl));
    else if (R.file) src.push(h('span', { class: 'small muted' }, R.file));
    main.appendChild(
      h(
        'p',
        { class: 'muted' },
        (R.title || '') + ' · template ' + R.template + ' · read by ' + (R.extractor || '?') + ' · report ' + R.id + ' · ',
        src.reduce(function (acc, x, i) {
          if (i) acc.push(' · ');
          acc.push(x);
          return acc;
        }, []),
      ),
    );

    var hits = {};
    R.findings.forEach(function (f, i) {
      f.n = i + 1;
      var keys = f.cells
        .filter(function (c) {
          return c.side === 'this';
        })
        .map(function (c) {
          return c.key;
        });
      if (!keys.length && !(f.evidence && f.evidence.cells)) keys = f.keys;
      keys.forEach(function (k) {
        (hits[k] = hits[k] || []).push({ n: f.n, id: f.id, rule: f.rule, message: f.message });
      });
    });

    main.appendChild(h('h2', null, 'Findings (' + R.findings.length + ')'));
    if (!R.findings.length) main.appendChild(h('p', { class: 'empty' }, 'No finding on this report.'));
    R.findings.forEach(function (f) {
      main.appendChild(findingCard(R, f));
    });

    main.appendChild(h('h2', null, 'The tables as printed'));
    main.appendChild(
      h(
        'div',
        { class: 'legend' },
        h('span', null, h('span', { class: 'sw', style: 'background:var(--hi)' }), 'confidence ≥ 0.8'),
        h('span', null, h('span', { class: 'sw', style: 'background:var(--mid)' }), '0.5 – 0.8'),
        h('span', null, h('span', { class: 'sw', style: 'background:var(--lo)' }), '< 0.5 (never used for a finding)'),
        h('span', null, h('span', { class: 'sw', style: 'outline:2px solid var(--hit)' }), 'cell in a finding (number = finding)'),
        h('span', { class: 'muted' }, 'hover a cell for its printed text, confidence, flags and place'),
      ),
    );
    formTables(R.fields, R.template, hits).forEach(function (t) {
      main.appendChild(t);
    });
    if (R.errors.length || R.warnings.length) {
      main.appendChild(h('h2', null, 'Messages'));
      var ul = h('ul');
      R.errors.concat(R.warnings).forEach(function (m) {
        ul.appendChild(h('li', null, h('code', null, m.code), ' ', m.message));
      });
      main.appendChild(ul);
    }
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  }

  function findingCard(R, f) {
    var other = f.other !== null && f.other !== undefined ? R.others[f.other] : null;
    var card = h('section', { class: 'finding sev-' + f.severity, id: f.id, 'data-rule': f.rule });
    card.appendChild(
      h(
        'div',
        { class: 'head' },
        h('strong', null, '[' + f.n + ']'),
        pill(f.severity, 'sev-' + f.severity),
        h('strong', { title: RULE_HELP[f.rule] || '' }, f.rule),
        f.review ? pill(f.review.decision, 'rev-' + f.review.decision, f.review.note || '') : pill('not reviewed'),
        f.review && f.review.note
          ? h('span', { class: 'small' }, '“' + f.review.note + '” (' + f.review.reviewedAt.slice(0, 10) + ')')
          : null,
        other
          ? h('span', { class: 'small' }, 'other report: ', h('a', { href: f.other + '.html', class: 'other-report' }, other.label))
          : null,
      ),
    );
    card.appendChild(h('div', { class: 'msg' }, f.message));
    if (f.expected !== null || f.actual !== null)
      card.appendChild(h('div', { class: 'small muted' }, 'expected ' + fmt(f.expected) + ' · actual ' + fmt(f.actual)));
    card.appendChild(
      h(
        'div',
        { class: 'small muted' },
        'id ',
        h('code', null, f.id),
        ' · mark it: ',
        h('code', null, 'ogi review --mark ' + f.id + ' confirmed|dismissed --note "…"'),
      ),
    );

    // Rule-specific evidence besides the pictures.
    var ev = f.evidence || {};
    if (ev.changes) card.appendChild(changesTable(ev, R, other));
    if (f.rule === 'copied-report') card.appendChild(copiedTable(f, R, other));
    if (f.rule === 'yoy-outlier' || f.rule === 'carryover') card.appendChild(sideBySide(f, R, other));

    var sides = { this: [], other: [] };
    f.items.forEach(function (it) {
      sides[it.side].push(it);
    });
    var evidence = h('div', { class: 'evidence' });
    ['this', 'other'].forEach(function (side) {
      if (!sides[side].length) return;
      var head = side === 'this' ? 'This report' : 'Other report' + (other ? ': ' + other.label : '');
      if (f.rule === 'silent-edit') head = side === 'this' ? 'After the edit (this version)' : 'Before the edit (first stored version)';
      evidence.appendChild(h('div', { class: 'side side-' + side }, h('h4', null, head), sides[side].map(evidenceItem)));
    });
    if (f.items.length) card.appendChild(evidence);
    if (f.cells.length) {
      var d = h('details', null, h('summary', { class: 'small' }, 'cells and where they were read (' + f.cells.length + ')'));
      var t = h(
        'table',
        { class: 'grid cells' },
        h(
          'tr',
          null,
          ['report', 'key', 'printed', 'value', 'confidence', 'place'].map(function (c) {
            return h('th', null, c);
          }),
        ),
      );
      f.cells.forEach(function (c) {
        t.appendChild(
          h(
            'tr',
            null,
            h('td', null, c.side),
            h('td', null, h('code', null, c.key)),
            h('td', null, c.raw),
            h('td', null, fmt(c.value)),
            h('td', { class: confClass(c.confidence) }, String(c.confidence)),
            h('td', { class: 'small' }, c.where),
          ),
        );
      });
      d.appendChild(t);
      d.appendChild(h('div', { class: 'small muted' }, f.location));
      card.appendChild(d);
    }
    return card;
  }
  function fmt(v) {
    return v === null || v === undefined ? '—' : String(v);
  }

  function evidenceItem(it) {
    var box = h('div', { class: 'ev ev-' + it.kind });
    box.appendChild(h('div', { class: 'cap' }, it.caption));
    if (it.kind === 'svg') box.appendChild(h('div', { class: 'crop', html: it.svg }));
    else if (it.kind === 'img') box.appendChild(h('img', { src: ROOT + it.src, alt: it.caption, class: 'crop' }));
    else if (it.kind === 'text') box.appendChild(marked(it.text, it.marks));
    else if (it.kind === 'table') box.appendChild(fragment(it));
    else box.appendChild(h('div', { class: 'muted' }, it.text));
    return box;
  }
  function marked(text, marks) {
    var p = h('div', { class: 'sentence' });
    var pos = 0;
    marks
      .slice()
      .sort(function (a, b) {
        return a[0] - b[0];
      })
      .forEach(function (m) {
        if (m[0] < pos) return;
        p.appendChild(document.createTextNode(text.slice(pos, m[0])));
        p.appendChild(h('mark', { class: 'num' }, text.slice(m[0], m[1])));
        pos = m[1];
      });
    p.appendChild(document.createTextNode(text.slice(pos)));
    return p;
  }
  function fragment(it) {
    var t = h('table', { class: 'frag' });
    it.rows.forEach(function (row) {
      var tr = h('tr');
      row.forEach(function (c) {
        if (c === null) return;
        tr.appendChild(h('td', { colspan: c.cs, rowspan: c.rs, class: c.hit ? 'hit' : null, title: c.hit ? c.hit.join(', ') : null }, c.t));
      });
      t.appendChild(tr);
    });
    return h('div', null, it.gapBefore ? h('div', { class: 'gap' }, '⋮ rows above left out') : null, t);
  }
  function changesTable(ev, R, other) {
    var t = h(
      'table',
      { class: 'grid changes' },
      h(
        'tr',
        null,
        h('th', null, 'field'),
        h('th', null, 'before (' + (ev.before ? ev.before.fetchedAt.slice(0, 10) : '?') + ')'),
        h('th', null, 'after (' + (ev.after ? ev.after.fetchedAt.slice(0, 10) : '?') + ')'),
      ),
    );
    ev.changes.forEach(function (c) {
      t.appendChild(
        h(
          'tr',
          null,
          h(
            'td',
            { title: (FORM && FORM.labels[c.key]) || '' },
            h('code', null, c.key),
            ' ',
            h('span', { class: 'small muted' }, (FORM && FORM.labels[c.key]) || ''),
          ),
          h('td', { class: 'old' }, c.before === null ? c.rawBefore || 'blank' : String(c.before)),
          h('td', { class: 'new' }, c.after === null ? c.rawAfter || 'blank' : String(c.after)),
        ),
      );
    });
    var docs = h(
      'div',
      { class: 'small' },
      'URL: ',
      ev.url ? h('a', { href: ev.url, target: '_blank', rel: 'noreferrer' }, ev.url) : '?',
      ' · documents: ',
      other && other.doc ? h('a', { href: ROOT + other.doc, target: '_blank' }, 'before') : 'before (not kept)',
      ' · ',
      R.doc ? h('a', { href: ROOT + R.doc, target: '_blank' }, 'after') : 'after (not kept)',
    );
    return h('div', null, ev.changes.length ? t : h('p', { class: 'muted' }, 'No table cell changed; the text did.'), docs);
  }
  function copiedTable(f, R, other) {
    var t = h(
      'table',
      { class: 'grid cells' },
      h('tr', null, h('th', null, 'cell'), h('th', null, 'this report'), h('th', null, other ? other.label : 'other report')),
    );
    f.keys.slice(0, 40).forEach(function (k) {
      var v = R.fields[k];
      t.appendChild(
        h(
          'tr',
          null,
          h('td', null, h('code', null, k), ' ', h('span', { class: 'small muted' }, (FORM && FORM.labels[k]) || '')),
          h('td', { class: 'v' }, shown(v)),
          h('td', { class: 'v' }, shown(v) + ' (identical)'),
        ),
      );
    });
    return h(
      'details',
      { open: true },
      h('summary', { class: 'small' }, 'the non-zero cells, identical in both reports (' + f.keys.length + ')'),
      t,
    );
  }
  function sideBySide(f, R, other) {
    var t = h(
      'table',
      { class: 'grid cells' },
      h('tr', null, h('th', null, 'this report'), h('th', null, other ? other.label : 'other report')),
    );
    var mine = f.cells.filter(function (c) {
      return c.side === 'this';
    });
    var theirs = f.cells.filter(function (c) {
      return c.side === 'other';
    });
    for (var i = 0; i < Math.max(mine.length, theirs.length); i++) {
      var a = mine[i],
        b = theirs[i];
      t.appendChild(
        h(
          'tr',
          null,
          h('td', null, a ? [h('code', null, a.key), ' = ', h('strong', null, a.raw || fmt(a.value))] : ''),
          h('td', null, b ? [h('code', null, b.key), ' = ', h('strong', null, b.raw || fmt(b.value))] : ''),
        ),
      );
    }
    return t;
  }

  // ---- agency page ----
  function agencyPage() {
    var A = window.OGI_AGENCY;
    var root = app();
    root.appendChild(top(h('span', null, A.agency)));
    var main = h('main');
    root.appendChild(main);
    main.appendChild(h('div', { class: 'nav' }, h('a', { href: ROOT + 'index.html' }, '← all agencies')));
    main.appendChild(h('h1', null, A.agency + ': years side by side'));
    var only = h('input', { type: 'checkbox', id: 'only-changes' });
    var wrap = h('div');
    main.appendChild(
      h(
        'p',
        null,
        h('label', null, only, ' only rows that change'),
        h(
          'span',
          { class: 'muted small' },
          ' · a cell outlined in amber differs from the column before it; colours are confidence as on the report pages',
        ),
      ),
    );
    main.appendChild(wrap);
    only.addEventListener('change', draw);
    var order = FORM ? Object.keys(FORM.labels) : [];
    var keys = {};
    A.reports.forEach(function (r) {
      Object.keys(r.fields).forEach(function (k) {
        keys[k] = 1;
      });
    });
    var list = order
      .filter(function (k) {
        return keys[k];
      })
      .concat(
        Object.keys(keys).filter(function (k) {
          return order.indexOf(k) < 0;
        }),
      );
    function draw() {
      wrap.innerHTML = '';
      var t = h('table', { class: 'grid compare', id: 'compare' });
      t.appendChild(
        h(
          'tr',
          null,
          h('th', null, 'field'),
          A.reports.map(function (r) {
            return h(
              'th',
              null,
              h('a', { href: ROOT + 'r/' + r.id + '.html' }, String(r.year === null ? '?' : r.year)),
              h('div', { class: 'small muted' }, r.template + ' · #' + r.id),
            );
          }),
        ),
      );
      t.appendChild(
        h(
          'tr',
          null,
          h('th', null, 'findings'),
          A.reports.map(function (r) {
            var ks = Object.keys(r.findings);
            return h(
              'td',
              { class: 'small' },
              ks.length
                ? ks.map(function (k) {
                    return h('div', null, k + ': ' + r.findings[k]);
                  })
                : '—',
            );
          }),
        ),
      );
      var section = '';
      list.forEach(function (k) {
        var vals = A.reports.map(function (r) {
          return r.fields[k];
        });
        var changes = vals.map(function (v, i) {
          if (i === 0 || !v) return false;
          var p = vals[i - 1];
          return !!p && p[0] !== v[0];
        });
        if (only.checked && !changes.some(Boolean)) return;
        var sect = k.slice(0, 2);
        if (sect !== section) {
          section = sect;
          t.appendChild(
            h(
              'tr',
              { class: 'sect' },
              h(
                'th',
                { colspan: A.reports.length + 1 },
                { t2: 'Table 2 主动公开', t3: 'Table 3 依申请公开', t4: 'Table 4 复议诉讼' }[sect] || sect,
              ),
            ),
          );
        }
        t.appendChild(
          h(
            'tr',
            null,
            h('th', { class: 'key', title: k }, (FORM && FORM.labels[k]) || k),
            vals.map(function (v, i) {
              if (!v) return h('td', { class: 'v c-none' }, '·');
              var prev = i > 0 ? vals[i - 1] : null;
              return h(
                'td',
                {
                  class: 'v ' + confClass(v[1]) + (changes[i] ? ' chg' : ''),
                  title: k + ' · confidence ' + v[1] + (changes[i] ? '\nwas ' + (prev[0] === null ? 'blank' : prev[0]) : ''),
                },
                v[0] === null ? '' : String(v[0]),
              );
            }),
          ),
        );
      });
      wrap.appendChild(t);
    }
    draw();
  }

  var kind = document.body.getAttribute('data-page');
  try {
    if (kind === 'index') indexPage();
    else if (kind === 'report') reportPage();
    else if (kind === 'agency') agencyPage();
  } catch (e) {
    var el = document.getElementById('app');
    el.appendChild(h('pre', { class: 'error' }, 'This page could not be drawn: ' + (e && e.stack ? e.stack : e)));
    throw e;
  }
})();
