// Sample assistant replies covering every block kind whose end can move while it streams.
export const SAMPLES: Record<string, string> = {
  tightList: 'Steps:\n\n- Open **Settings**\n- Click *Billing*\n- Choose `Plan`\n\nDone.\n',
  looseList: '- First item\n\n- Second item\n  with a lazy line\n\n- Third\n\nAfter the list.\n',
  orderedFrom3: 'Continue:\n\n3. Third step\n4. Fourth step\n10. Tenth\n\nfoo\n1. one\n2. two\n',
  nestedList: '- Fruit\n  - Apple\n  - Pear\n    1. ripe\n    2. raw\n- Veg\n\n  Paragraph in item.\n\n* other bullet\n',
  taskList: '- [x] Paid\n- [ ] Shipped\n- [ ] Delivered\n',
  refLinks:
    'See [the docs][docs] and [Help] or [missing][nope].\n\n[docs]: https://example.com/docs "Docs"\n\nLater [docs] again and [Help].\n\n[help]: https://example.com/help\n[Help]: https://example.com/ignored\n',
  refDefFirst: "[a]: https://a.example/\n[b]: <https://b.example/x y> 'B title'\n\nUse [a] and [text][b] and [c].\n\n> quoted [a]\n\n[c]: mailto:help@example.com\n",
  defTitleNextLine: 'Use [a] here.\n\n[a]: https://a.example/\n"The title"\n\n[b]: https://b.example/\n  \'multi\n  line title\'\nSee [b].\n',
  settleEdges: '1. a\n2. b\n\n3. c\n\n> quote\n#tag lazy\n\n> q2\n# real heading\n\n- x\n\n  indented continuation\n\n-\n\n+ other\n',
  defTitleSpansBlocks: 'Use [a] and [b].\n\n[a]: /url\n"title\n\npara\n"\n\n[b]: /b\n(paren title)\n\nDone [a].\n',
  table: '| Plan | Price | Seats |\n|:-----|------:|:-----:|\n| Free | $0 | 1 |\n| Pro | $12 | 5 |\n| **Team** | `$40` | 20 |\n\nNext paragraph.\n\n| a |\n|---|\n',
  backtickFence: 'Try this:\n\n```python\ndef hello():\n    print("hi")\n\n\n    return 1\n```\n\nAnd after.\n\n```\nno lang\n```\n',
  tildeFence: '~~~js\nconst a = 1;\n```\nstill code\n~~~\n\n~~~~\nlonger\n~~~\nstill inside\n~~~~\ntext\n',
  unclosedFence: 'Here:\n\n```sh\nnpm install\nnpm start\n',
  htmlBlocks:
    '<div>\n*not md*\n</div>\n\n<details>\n<summary>More</summary>\n\nHidden **text**.\n\n</details>\n\n<!-- comment\n\nstill comment -->\n\n<pre>\n\nkeep\n\n</pre>\nafter\n',
  headings: '# Title\n\nSetext one\n===\n\nSetext\ntwo lines\n---\n\n## Section ##\n\npara\n- list after para\n\nfoo\n--\n\n###### six\n#nohead\n',
  blockquotes: '> Quote line\nlazy continuation\n\n> - list in quote\n> - two\n>\n> > nested\n\n>     code in quote\n\nOut.\n',
  indentedCode: 'Para\n\n    code line 1\n\n    code line 2\n\n  not code\n\n    again\n',
  mixed:
    '## Resetting your password\n\nIf you **forgot** your password, go to [the login page](https://example.com/login) and click *Forgot password*.\n\n1. Enter your e-mail\n2. Check your inbox\n   - look in spam too\n3. Follow the link\n\n> **Note:** links expire after `24h`.\n\n```bash\ncurl -X POST https://api.example.com/reset \\\n  -d \'{"email":"me@example.com"}\'\n```\n\n| Step | Time |\n|---|---|\n| Mail | 1 min |\n\n***\n\nAn autolink <https://example.com/a_b> and https://www.example.com/x and ~~old~~ text with a_snake_case word.\nHard  \nbreak and \\*escaped\\*.\n',
  emphasis: 'Some **bold text** and *italic* and ***both*** and __under__ and `inline code` and ``double ` tick`` end.\n',
  crlf: 'Line one\r\nLine two\r\n\r\n- a\r\n- b\r\n',
};

/** Text whose half-written states must never show raw Markdown syntax. */
export const INLINE_STREAMING = 'Some **bold text** and a [link](https://example.com/page) and `code` and *emphasis* and ~~struck~~ and ![logo](https://example.com/l.png) end.';
