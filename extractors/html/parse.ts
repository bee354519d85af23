/**
 * parse5 (the browser's tree construction, as cheerio uses it) under a budget.
 *
 * parse5 walks its stack of open elements on most tags ("is a <p> in button
 * scope?", "which open element does this end tag close?"), so a tag costs
 * the depth it is parsed at: 200,000 nested <div>s cost 2·10¹⁰ steps, a
 * worker's whole time limit. The parser below counts while it parses and
 * stops with a precise code as soon as a budget is spent:
 * - `html-too-deep`: the stack of open elements passes `htmlDepth`;
 * - `html-too-many-nodes`: more than `htmlNodes` elements, text and comment
 *   nodes (memory: about 250 bytes each; reopened formatting elements such as
 *   unclosed <font>s multiply nodes without markup);
 * - `html-too-complex`: more than `htmlParseSteps` steps, where a tag costs
 *   the depth it is parsed at plus the open formatting elements, text costs
 *   the depth while formatting elements are open (parse5 reopens them before
 *   text), and a tag's attributes cost n²/2 (parse5 checks each new attribute
 *   against the ones before it; counted by preclean, which sees the raw tags).
 *
 * It also notes the table cells whose markup is broken the way damaged bytes
 * break it (DAMAGE_ERRORS): a stretch of the file overwritten or cut out
 * joins the start of one cell to the rest of another, so that cell's text, and
 * the cells after it in its row, may come from another row (see `damagedCell`).
 */
import { Parser } from 'parse5';
import { adapter, type Htmlparser2TreeAdapterMap } from 'parse5-htmlparser2-tree-adapter';
import { type Limits, overLimit } from '../../src/contract/limits.js';
import type { HParent } from './dom.js';

type Adapter = typeof adapter;

/**
 * parse5's tokenizer errors that byte damage causes (NUL and control bytes,
 * quotes or '<' inside attribute names, a tag cut short) and that hand-written
 * or exported pages do not: tree-construction errors (stray end tags),
 * comments and Word's `<![if …]>` are left out, as they are common in real reports.
 */
const DAMAGE_ERRORS = new Set<string>([
  'unexpected-null-character',
  'control-character-in-input-stream',
  'noncharacter-in-input-stream',
  'surrogate-in-input-stream',
  'unexpected-character-in-attribute-name',
  'missing-whitespace-between-attributes',
  'unexpected-character-in-unquoted-attribute-value',
  'unexpected-equals-sign-before-attribute-name',
  // A cut joins two tags of neighbouring cells, which carry the same attributes (Word: class=MsoNormal align=center).
  'duplicate-attribute',
  'missing-attribute-value',
  'invalid-first-character-of-tag-name',
  'missing-end-tag-name',
  'eof-in-tag',
  'eof-before-tag-name',
]);

/** Markup inside an attribute value: a tag that swallowed what followed it, up to the next quote. */
const SWALLOWED_MARKUP = /<\/?(?:td|th|tr|table|tbody|p|span|div|font|br)\b/i;

const TABLE_PARTS = new Set(['tr', 'tbody', 'thead', 'tfoot', 'table']);

/** Table cells whose markup a damage error fell in (or, between cells, the cell after it). */
const damaged = new WeakSet<object>();

/** True when the reader found this cell's markup broken the way damaged bytes break it. */
export function damagedCell(el: HParent): boolean {
  return damaged.has(el);
}

interface Budget {
  limits: Limits;
  nodes: number;
  steps: number;
}

/** The default tree adapter, counting the nodes it creates. */
function countingAdapter(budget: Budget): Adapter {
  const count = (): void => {
    if (++budget.nodes > budget.limits.htmlNodes) {
      throw overLimit(
        'html-too-many-nodes',
        'htmlNodes',
        budget.limits,
        `the page has more than ${budget.limits.htmlNodes.toLocaleString('en')} nodes`,
      );
    }
  };
  return {
    ...adapter,
    createElement(...args) {
      count();
      return adapter.createElement(...args);
    },
    createCommentNode(...args) {
      count();
      return adapter.createCommentNode(...args);
    },
    insertText(parent, text) {
      const before = parent.children.length;
      adapter.insertText(parent, text);
      if (parent.children.length !== before) count();
    },
    insertTextBefore(parent, text, ref) {
      const before = parent.children.length;
      adapter.insertTextBefore(parent, text, ref);
      if (parent.children.length !== before) count();
    },
  };
}

type Options = ConstructorParameters<typeof Parser<Htmlparser2TreeAdapterMap>>[0];

class BudgetedParser extends Parser<Htmlparser2TreeAdapterMap> {
  // Set by parseBudgeted before any token arrives (the base constructor already runs methods).
  budget!: Budget;
  /** A damage error fell between the cells of a table row: the next cell started is marked. */
  private damageBetweenCells = false;

  /** Marks the innermost open table cell, or the next one when the error sits between cells. */
  noteError(code: string): void {
    if (DAMAGE_ERRORS.has(code)) this.noteDamage();
  }

  private noteDamage(): void {
    const items = this.openElements.items;
    for (let i = this.openElements.stackTop; i >= 0; i--) {
      const name = this.treeAdapter.getTagName(items[i] as Htmlparser2TreeAdapterMap['element']);
      if (name === 'td' || name === 'th') {
        damaged.add(items[i]);
        return;
      }
      if (TABLE_PARTS.has(name)) {
        this.damageBetweenCells = true;
        return;
      }
    }
  }

  private charge(steps: number): void {
    const b = this.budget;
    b.steps += steps;
    if (b.steps > b.limits.htmlParseSteps) {
      throw overLimit(
        'html-too-complex',
        'htmlParseSteps',
        b.limits,
        `parsing the page takes more than ${b.limits.htmlParseSteps.toLocaleString('en')} steps (tags nested ${this.openElements.stackTop + 1} deep here)`,
      );
    }
  }

  private checkDepth(): void {
    const depth = this.openElements.stackTop + 1;
    if (depth > this.budget.limits.htmlDepth) {
      throw overLimit(
        'html-too-deep',
        'htmlDepth',
        this.budget.limits,
        `elements nest more than ${this.budget.limits.htmlDepth.toLocaleString('en')} deep`,
      );
    }
  }

  override onStartTag(token: Parameters<Parser<Htmlparser2TreeAdapterMap>['onStartTag']>[0]): void {
    this.charge(this.openElements.stackTop + 1 + this.activeFormattingElements.entries.length);
    // A tag whose attribute value holds markup swallowed the stretch up to the next quote (a cut-out or overwritten closing quote).
    const swallowed = token.attrs.some((a) => SWALLOWED_MARKUP.test(a.value));
    if (swallowed && token.tagName !== 'td' && token.tagName !== 'th') this.noteDamage();
    super.onStartTag(token);
    const cell = token.tagName === 'td' || token.tagName === 'th' ? this.openElements.current : undefined;
    if (cell && (swallowed || this.damageBetweenCells)) {
      damaged.add(cell);
      this.damageBetweenCells = false;
    }
    this.checkDepth();
  }

  override onEndTag(token: Parameters<Parser<Htmlparser2TreeAdapterMap>['onEndTag']>[0]): void {
    this.charge(this.openElements.stackTop + 1 + this.activeFormattingElements.entries.length);
    super.onEndTag(token);
  }

  override onCharacter(token: Parameters<Parser<Htmlparser2TreeAdapterMap>['onCharacter']>[0]): void {
    if (this.activeFormattingElements.entries.length) this.charge(this.openElements.stackTop + 1);
    super.onCharacter(token);
    this.checkDepth();
  }
}

/**
 * Parses a whole document like cheerio's `load` does (parse5, scripting
 * enabled, the htmlparser2 tree) and returns its root. `steps` already spent
 * (attributes counted by preclean) count against the same budget.
 */
export function parseBudgeted(html: string, limits: Limits, steps = 0): HParent {
  const budget: Budget = { limits, nodes: 0, steps };
  if (steps > limits.htmlParseSteps) {
    throw overLimit(
      'html-too-complex',
      'htmlParseSteps',
      limits,
      `the page's tags carry so many attributes that parsing takes more than ${limits.htmlParseSteps.toLocaleString('en')} steps`,
    );
  }
  // The handler is called while the parser exists (errors come with tokens, after construction).
  let parser: BudgetedParser | undefined;
  const options: Options = {
    treeAdapter: countingAdapter(budget),
    scriptingEnabled: true,
    onParseError: (e) => parser?.noteError(e.code),
  };
  parser = new BudgetedParser(options);
  // parse5 turns on source locations for every node when errors are reported; the open elements say
  // where an error is, so locations would only cost time and memory (the tokenizer shares this object).
  parser.options.sourceCodeLocationInfo = false;
  parser.budget = budget;
  parser.tokenizer.write(html, true);
  return parser.document as unknown as HParent;
}
