//! Reads YAML text into an owned tree whose every node keeps its position, enforcing the input
//! limits, and maps JSON pointers back to positions. This is the only module that names the
//! YAML parser (`saphyr`).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Event, Parser};
use serde_json::{Map, Number, Value};

/// The largest configuration accepted, all files together.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
/// The deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 64;

/// A 1-based line and column (columns count Unicode characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub pos: Position,
    /// Its value.
    pub value: NodeValue,
}

/// The value of a node. Mapping keys are always strings (anything else is refused on load).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, each key with its own position.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub pos: Position,
}

/// A problem found while reading YAML, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// Where.
    pub pos: Position,
    /// What.
    pub message: String,
    /// What to do, when there is something.
    pub help: Option<String>,
}

impl ReadError {
    fn new(pos: Position, message: impl Into<String>, help: Option<&str>) -> Self {
        ReadError {
            pos,
            message: message.into(),
            help: help.map(str::to_string),
        }
    }
}

/// Decodes raw bytes as UTF-8, pointing at the first invalid byte otherwise.
pub fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // `valid` is valid UTF-8 by construction.
        let text = std::str::from_utf8(valid).unwrap_or_default();
        let line = text.matches('\n').count() + 1;
        let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::new(
            Position { line, col },
            "the file is not valid UTF-8 text",
            Some("save the file as UTF-8; configuration files must be text"),
        )
    })
}

/// Parses one YAML document into a positioned tree.
///
/// Refuses empty input, several documents, nesting deeper than [`MAX_DEPTH`], alias expansion
/// past the parser's budget, custom tags and non-string mapping keys. Merge keys (`<<`) are
/// applied.
pub fn parse(text: &str) -> Result<Node, ReadError> {
    check_structure(text)?;
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let m = e.marker();
        ReadError::new(
            Position {
                line: m.line(),
                col: m.col() + 1,
            },
            format!("invalid YAML: {}", e.info()),
            None,
        )
    })?;
    let doc = docs.first().ok_or_else(|| {
        ReadError::new(
            Position { line: 1, col: 1 },
            "the file holds no configuration",
            Some("add configuration to it, or delete the file"),
        )
    })?;
    convert(doc, 0)
}

/// Walks the event stream once to enforce the depth cap and the one-document rule before a tree
/// is built, so hostile nesting never reaches a recursive step.
fn check_structure(text: &str) -> Result<(), ReadError> {
    let mut parser = Parser::new_from_str(text);
    let mut depth = 0usize;
    let mut documents = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(pair) => pair,
            // The scanner has its own, higher nesting limit: report it as ours.
            Err(e) if e.info().contains("recursion limit") => {
                let m = e.marker();
                return Err(ReadError::new(
                    Position {
                        line: m.line(),
                        col: m.col() + 1,
                    },
                    format!("nesting is deeper than the limit of {MAX_DEPTH} levels"),
                    Some("flatten the structure; no valid configuration nests this deep"),
                ));
            }
            // Other syntax errors are reported with their position by the loader.
            Err(_) => return Ok(()),
        };
        let pos = Position {
            line: span.start.line(),
            col: span.start.col() + 1,
        };
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ReadError::new(
                        pos,
                        "a configuration file holds exactly one YAML document",
                        Some(
                            "remove the `---` separator, or split the documents into separate files",
                        ),
                    ));
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ReadError::new(
                        pos,
                        format!("nesting is deeper than the limit of {MAX_DEPTH} levels"),
                        Some("flatten the structure; no valid configuration nests this deep"),
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn position(n: &MarkedYaml<'_>) -> Position {
    Position {
        line: n.span.start.line(),
        col: n.span.start.col() + 1,
    }
}

fn convert(n: &MarkedYaml<'_>, depth: usize) -> Result<Node, ReadError> {
    let pos = position(n);
    if depth > MAX_DEPTH {
        // Aliases can nest a tree inside itself past what the event pass saw.
        return Err(ReadError::new(
            pos,
            format!("nesting is deeper than the limit of {MAX_DEPTH} levels"),
            Some("flatten the structure (aliases count toward the depth they expand to)"),
        ));
    }
    let value = match &n.data {
        YamlData::Value(Scalar::Null) => NodeValue::Null,
        YamlData::Value(Scalar::Boolean(b)) => NodeValue::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => NodeValue::Int(*i),
        YamlData::Value(Scalar::FloatingPoint(f)) => {
            let f = f.into_inner();
            if !f.is_finite() {
                return Err(ReadError::new(
                    pos,
                    "infinite and NaN numbers are not allowed",
                    Some("write a finite number, or quote the value to make it text"),
                ));
            }
            NodeValue::Float(f)
        }
        YamlData::Value(Scalar::String(s)) => NodeValue::Str(s.to_string()),
        YamlData::Sequence(items) => NodeValue::Seq(
            items
                .iter()
                .map(|i| convert(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut entries: Vec<(Key, Node)> = Vec::with_capacity(map.len());
            let mut merges: Vec<Node> = Vec::new();
            for (k, v) in map {
                let kpos = position(k);
                let name = match &k.data {
                    YamlData::Value(Scalar::String(s)) => s.to_string(),
                    YamlData::Tagged(_, inner) => match &inner.data {
                        YamlData::Value(Scalar::String(s)) => s.to_string(),
                        _ => return Err(key_error(kpos)),
                    },
                    _ => return Err(key_error(kpos)),
                };
                let value = convert(v, depth + 1)?;
                if name == "<<" {
                    merges.push(value);
                } else {
                    entries.push((Key { name, pos: kpos }, value));
                }
            }
            for merge in merges {
                apply_merge(&mut entries, merge)?;
            }
            NodeValue::Map(entries)
        }
        YamlData::Tagged(tag, inner) => {
            if tag.is_yaml_core_schema() {
                return convert(inner, depth);
            }
            return Err(ReadError::new(
                pos,
                format!(
                    "custom YAML tag `{}{}` is not supported",
                    tag.handle, tag.suffix
                ),
                Some("remove the tag"),
            ));
        }
        YamlData::Alias(_) | YamlData::BadValue | YamlData::Representation(..) => {
            return Err(ReadError::new(
                pos,
                "this value could not be read",
                Some("check the YAML syntax and any tag on the value"),
            ));
        }
    };
    Ok(Node { pos, value })
}

fn key_error(pos: Position) -> ReadError {
    ReadError::new(
        pos,
        "mapping keys must be text",
        Some("quote the key, e.g. \"1\": …"),
    )
}

/// YAML 1.1 merge keys: entries of the merged mapping(s) that the mapping does not set itself.
fn apply_merge(entries: &mut Vec<(Key, Node)>, merge: Node) -> Result<(), ReadError> {
    let sources = match merge.value {
        NodeValue::Map(m) => vec![m],
        NodeValue::Seq(items) => items
            .into_iter()
            .map(|i| match i.value {
                NodeValue::Map(m) => Ok(m),
                _ => Err(merge_error(i.pos)),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(merge_error(merge.pos)),
    };
    for source in sources {
        for (k, v) in source {
            if !entries.iter().any(|(e, _)| e.name == k.name) {
                entries.push((k, v));
            }
        }
    }
    Ok(())
}

fn merge_error(pos: Position) -> ReadError {
    ReadError::new(
        pos,
        "a merge key `<<` takes a mapping or a list of mappings",
        Some("write `<<: *anchor` where the anchor names a mapping"),
    )
}

impl Node {
    /// The JSON value of the tree.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut o = Map::new();
                for (k, v) in entries {
                    o.insert(k.name.clone(), v.to_json());
                }
                Value::Object(o)
            }
        }
    }

    /// The deepest node on a JSON pointer's path (the root for `""`).
    pub fn locate(&self, pointer: &str) -> &Node {
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                NodeValue::Map(m) => m.iter().find(|(k, _)| k.name == seg).map(|(_, v)| v),
                NodeValue::Seq(s) => seg.parse::<usize>().ok().and_then(|i| s.get(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The position of key `name` in this mapping, when it is one and has the key.
    pub fn key_pos(&self, name: &str) -> Option<Position> {
        match &self.value {
            NodeValue::Map(m) => m.iter().find(|(k, _)| k.name == name).map(|(k, _)| k.pos),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ReadError {
        parse(text).expect_err("should fail")
    }

    #[test]
    fn positions_are_one_based() {
        let root = parse("tags:\n  - name: VIP\n").unwrap();
        let n = root.locate("/tags/0/name");
        assert_eq!(n.pos, Position { line: 2, col: 11 });
        assert_eq!(
            root.locate("/tags/0").key_pos("name"),
            Some(Position { line: 2, col: 5 })
        );
        // A pointer past the tree stops at the deepest node that exists.
        assert_eq!(
            root.locate("/tags/5/name").pos,
            Position { line: 2, col: 3 }
        );
    }

    #[test]
    fn refuses_empty_and_multi_document_input() {
        assert_eq!(err("").message, "the file holds no configuration");
        assert_eq!(
            err("# only a comment\n").message,
            "the file holds no configuration"
        );
        let e = err("tags: []\n---\ntags: []\n");
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("exactly one YAML document"));
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = err(&deep);
        assert!(e.message.contains("deeper than the limit of 64"), "{e:?}");
        let ok = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
            prev = name;
        }
        let e = err(&bomb);
        assert!(e.message.contains("alias"), "{e:?}");
    }

    #[test]
    fn refuses_duplicate_keys_with_position() {
        let e = err("tags: []\ntags: []\n");
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("duplicated key"), "{e:?}");
    }

    #[test]
    fn applies_merge_keys_without_overriding() {
        let root =
            parse("base: &b {type: string, description: d}\nx:\n  <<: *b\n  type: integer\n")
                .unwrap();
        assert_eq!(
            root.locate("/x").to_json(),
            serde_json::json!({"type": "integer", "description": "d"})
        );
    }

    #[test]
    fn refuses_non_text_keys_and_custom_tags() {
        assert_eq!(err("1: a\n").message, "mapping keys must be text");
        assert!(err("a: !custom x\n").message.contains("custom YAML tag"));
        assert!(parse("a: !!str 12\n").is_ok());
    }

    #[test]
    fn yaml_1_2_scalars() {
        let root = parse("a: yes\nb: 09:00\nc: 2026-12-25\nd: 1.5\n").unwrap();
        assert_eq!(
            root.to_json(),
            serde_json::json!({"a": "yes", "b": "09:00", "c": "2026-12-25", "d": 1.5})
        );
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let e = decode(b"tags:\n  - name: \xff\n").unwrap_err();
        assert_eq!(e.pos, Position { line: 2, col: 11 });
    }
}
