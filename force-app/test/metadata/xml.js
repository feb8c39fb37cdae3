// A strict little XML reader for Salesforce source-format metadata files: elements, text, entities,
// comments, CDATA and the XML declaration — everything those files use. It returns a tree the schema
// checker walks ({ name, attrs, children, text, line }) and throws on malformed XML with the line number.
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text, line) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);|&/g, (m, e) => {
    if (!e) throw new Error(`line ${line}: bare "&" (write &amp;)`);
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    if (!(e in ENTITIES)) throw new Error(`line ${line}: unknown entity &${e};`);
    return ENTITIES[e];
  });
}

function parseXml(source) {
  let pos = 0;
  const lineAt = (i) => source.slice(0, i).split('\n').length;
  const root = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const stack = [root];
  const fail = (msg) => {
    throw new Error(`line ${lineAt(pos)}: ${msg}`);
  };
  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      if (stack.length === 1 && raw.trim()) fail('text outside the root element');
      stack[stack.length - 1].text += decode(raw, lineAt(pos));
      pos = textEnd;
      continue;
    }
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end === -1) fail('unterminated <? … ?>');
      pos = end + 2;
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end === -1) fail('unterminated comment');
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end === -1) fail('unterminated CDATA');
      stack[stack.length - 1].text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('</', pos)) {
      const m = /^<\/([\w:.-]+)\s*>/.exec(source.slice(pos));
      if (!m) fail('malformed closing tag');
      const open = stack.pop();
      if (!open || open.name !== m[1]) fail(`</${m[1]}> closes <${open ? open.name : '?'}>`);
      pos += m[0].length;
    } else {
      const m = /^<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(pos));
      if (!m) fail('malformed tag');
      const attrs = {};
      for (const a of m[2].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = a[2] ?? a[3];
      const node = { name: m[1], attrs, children: [], text: '', line: lineAt(pos) };
      const parent = stack[stack.length - 1];
      if (parent === root && root.children.length) fail('more than one root element');
      parent.children.push(node);
      if (!m[3]) stack.push(node);
      pos += m[0].length;
    }
  }
  if (stack.length !== 1) fail(`<${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0];
}

module.exports = { parseXml };
