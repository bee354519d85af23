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
 */
import { Parser } from 'parse5';
import { adapter, type Htmlparser2TreeAdapterMap } from 'parse5-htmlparser2-tree-adapter';
import { type Limits, overLimit } from '../../src/contract/limits.js';
import type { HParent } from './dom.js';

type Adapter = typeof adapter;

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
    super.onStartTag(token);
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
  const options: Options = { treeAdapter: countingAdapter(budget), scriptingEnabled: true };
  const parser = new BudgetedParser(options);
  parser.budget = budget;
  parser.tokenizer.write(html, true);
  return parser.document as unknown as HParent;
}
