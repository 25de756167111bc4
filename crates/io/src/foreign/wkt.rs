//! A small reader of WKT coordinate-system text (`KEYWORD["name", 1.0, CHILD[...]]`),
//! bounded in length and nesting so that a hostile `.prj` costs nothing.

/// Longest WKT text read (a `.prj` is a few hundred bytes; GDAL's WKT 2 a few thousand).
const MAX_LEN: usize = 64 * 1024;
/// Deepest nesting read.
const MAX_DEPTH: usize = 32;

/// One `KEYWORD[...]` node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub keyword: String,
    pub args: Vec<Arg>,
}

/// One argument of a node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Text(String),
    Number(f64),
    /// A bare word such as `EAST`.
    Word(String),
    Node(Node),
}

impl Node {
    /// The first argument when it is text: the name of most nodes.
    pub fn name(&self) -> Option<&str> {
        match self.args.first() {
            Some(Arg::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The argument at `i` as a number (also from quoted digits).
    pub fn number(&self, i: usize) -> Option<f64> {
        match self.args.get(i)? {
            Arg::Number(v) => Some(*v),
            Arg::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// Every numeric argument.
    pub fn numbers(&self) -> Vec<f64> {
        (0..self.args.len())
            .filter_map(|i| self.number(i))
            .collect()
    }

    fn children(&self) -> impl Iterator<Item = &Node> {
        self.args.iter().filter_map(|a| match a {
            Arg::Node(n) => Some(n),
            _ => None,
        })
    }

    /// The first node, depth first, whose keyword is one of `keywords`.
    pub fn find(&self, keywords: &[&str]) -> Option<&Node> {
        self.children().find_map(|c| {
            if keywords.iter().any(|k| c.keyword.eq_ignore_ascii_case(k)) {
                Some(c)
            } else {
                c.find(keywords)
            }
        })
    }

    /// The EPSG code this node itself carries (`AUTHORITY["EPSG","32749"]`, `ID["EPSG",32749]`).
    pub fn epsg(&self) -> Option<u32> {
        self.children()
            .filter(|c| {
                c.keyword.eq_ignore_ascii_case("AUTHORITY") || c.keyword.eq_ignore_ascii_case("ID")
            })
            .find(|c| c.name().is_some_and(|n| n.eq_ignore_ascii_case("EPSG")))
            .and_then(|c| c.number(1))
            .filter(|v| v.fract() == 0.0 && (1.0..=f64::from(u32::MAX)).contains(v))
            .map(|v| v as u32)
    }

    /// The value of a `PARAMETER` whose name is one of `names` (case and `_`/space
    /// insensitive), anywhere below this node.
    pub fn parameter(&self, names: &[&str]) -> Option<f64> {
        let norm = |s: &str| s.to_ascii_lowercase().replace(' ', "_");
        let wanted: Vec<String> = names.iter().map(|n| norm(n)).collect();
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
            for c in n.children() {
                if c.keyword.eq_ignore_ascii_case("PARAMETER") {
                    out.push(c);
                } else {
                    walk(c, out);
                }
            }
        }
        let mut params = Vec::new();
        walk(self, &mut params);
        params
            .into_iter()
            .find(|p| p.name().is_some_and(|n| wanted.contains(&norm(n))))
            .and_then(|p| p.number(1))
    }

    /// Metres per unit of the projected coordinates: the node's own `UNIT` (WKT 1) or
    /// the first `LENGTHUNIT` (WKT 2).
    pub fn linear_unit(&self) -> Option<f64> {
        self.children()
            .filter(|c| c.keyword.eq_ignore_ascii_case("UNIT"))
            .last()
            .or_else(|| self.find(&["LENGTHUNIT"]))
            .and_then(|u| u.number(1))
    }
}

/// Parses WKT text into its root node.
pub(crate) fn parse(text: &str) -> Result<Node, String> {
    if text.len() > MAX_LEN {
        return Err(format!("WKT longer than {MAX_LEN} bytes"));
    }
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.skip_ws();
    let node = p.node(0)?;
    p.skip_ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected text after the WKT at byte {}", p.i));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self.s.get(self.i).is_some_and(|c| {
            c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.' || *c == b'-' || *c == b'+'
        }) {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err(format!("WKT nested deeper than {MAX_DEPTH}"));
        }
        let keyword = self.word();
        if keyword.is_empty() || !keyword.as_bytes()[0].is_ascii_alphabetic() {
            return Err(format!("expected a WKT keyword at byte {}", self.i));
        }
        self.skip_ws();
        let close = match self.s.get(self.i) {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(format!("expected `[` after `{keyword}` at byte {}", self.i)),
        };
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.skip_ws();
            match self.s.get(self.i) {
                None => return Err(format!("`{keyword}[` is never closed")),
                Some(&c) if c == close && args.is_empty() => {
                    self.i += 1;
                    return Ok(Node { keyword, args });
                }
                Some(b'"') => {
                    self.i += 1;
                    let mut t = Vec::new();
                    loop {
                        match self.s.get(self.i) {
                            None => return Err("unterminated text in WKT".to_owned()),
                            // A doubled quote stands for one quote.
                            Some(b'"') if self.s.get(self.i + 1) == Some(&b'"') => {
                                t.push(b'"');
                                self.i += 2;
                            }
                            Some(b'"') => {
                                self.i += 1;
                                break;
                            }
                            Some(&c) => {
                                t.push(c);
                                self.i += 1;
                            }
                        }
                    }
                    args.push(Arg::Text(String::from_utf8_lossy(&t).into_owned()));
                }
                Some(c) if c.is_ascii_digit() || *c == b'-' || *c == b'+' || *c == b'.' => {
                    let w = self.word();
                    let v: f64 = w.parse().map_err(|_| format!("`{w}` is not a number"))?;
                    args.push(Arg::Number(v));
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let save = self.i;
                    let w = self.word();
                    self.skip_ws();
                    if matches!(self.s.get(self.i), Some(b'[' | b'(')) {
                        self.i = save;
                        args.push(Arg::Node(self.node(depth + 1)?));
                    } else {
                        args.push(Arg::Word(w));
                    }
                }
                Some(&c) => {
                    return Err(format!(
                        "unexpected `{}` in WKT at byte {}",
                        c as char, self.i
                    ));
                }
            }
            self.skip_ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(&c) if c == close => {
                    self.i += 1;
                    return Ok(Node { keyword, args });
                }
                _ => {
                    return Err(format!(
                        "expected `,` or `]` in `{keyword}` at byte {}",
                        self.i
                    ));
                }
            }
        }
    }
}
