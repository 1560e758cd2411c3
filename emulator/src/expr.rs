//! The attribute-mapping expression language, as far as the emulator takes it: the function list
//! (`schema/functions`), the scoping filter operators (`schema/filterOperators`) and
//! `parseExpression`, which parses any expression of attributes (`[mail]`), string constants
//! (`"-"`) and function calls (`Replace([a], "-", , , "_", , )`, empty arguments allowed) and
//! evaluates the functions in [`EVALUATED`] against `testInputObject`. For any other function it
//! answers `evaluationSucceeded: false` with an error saying the emulator does not evaluate it.

use serde_json::{Value, json};

/// Functions and their parameters in order (name, required).
const FUNCTIONS: &[(&str, &[(&str, bool)])] = &[
    ("Append", &[("source", true), ("suffix", true)]),
    ("DefaultDomain", &[]),
    ("Coalesce", &[("source", true), ("defaultValue", false)]),
    (
        "FormatDateTime",
        &[
            ("source", true),
            ("dateTimeStyles", false),
            ("inputFormat", true),
            ("outputFormat", true),
        ],
    ),
    ("Guid", &[]),
    (
        "IIF",
        &[
            ("condition", true),
            ("valueIfTrue", true),
            ("valueIfFalse", true),
        ],
    ),
    ("IsNullOrEmpty", &[("source", true)]),
    ("Join", &[("separator", true), ("source", true)]),
    ("Left", &[("source", true), ("NumChars", true)]),
    (
        "Mid",
        &[("source", true), ("start", true), ("length", true)],
    ),
    ("Not", &[("source", true)]),
    (
        "Replace",
        &[
            ("source", true),
            ("Find", false),
            ("regexPattern", false),
            ("regexGroupName", false),
            ("Replacement", false),
            ("replacementAttributeName", false),
            ("template", false),
        ],
    ),
    ("SingleAppRoleAssignment", &[("source", true)]),
    ("Split", &[("source", true), ("delimiter", true)]),
    ("StripSpaces", &[("source", true)]),
    (
        "Switch",
        &[
            ("source", true),
            ("defaultValue", true),
            ("key", true),
            ("value", true),
        ],
    ),
    ("ToLower", &[("source", true), ("culture", false)]),
    ("ToUpper", &[("source", true), ("culture", false)]),
    ("Trim", &[("source", true)]),
];

/// The functions `parseExpression` evaluates.
pub const EVALUATED: &[&str] = &[
    "Append",
    "Coalesce",
    "IsNullOrEmpty",
    "Join",
    "Left",
    "Mid",
    "Not",
    "Replace",
    "StripSpaces",
    "ToLower",
    "ToUpper",
    "Trim",
];

/// `GET .../schema/functions` items.
pub(crate) fn functions() -> Vec<Value> {
    FUNCTIONS
        .iter()
        .map(|(name, params)| {
            json!({
                "name": name,
                "parameters": params.iter().map(|(p, required)| json!({
                    "allowMultipleOccurrences": matches!(*name, "Join" | "Coalesce") && *p == "source",
                    "name": p,
                    "required": required,
                    "type": "String",
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// `GET .../schema/filterOperators` items.
pub(crate) fn filter_operators() -> Vec<Value> {
    let op = |name: &str, arity: &str, multi: &str, types: &[&str]| json!({"name": name, "arity": arity, "multivaluedComparisonType": multi, "supportedAttributeTypes": types});
    vec![
        op("EQUALS", "Binary", "All", &["String", "Integer"]),
        op("NOT EQUALS", "Binary", "All", &["String", "Integer"]),
        op("IS TRUE", "Unary", "All", &["Boolean"]),
        op("IS FALSE", "Unary", "All", &["Boolean"]),
        op(
            "IS NULL",
            "Unary",
            "All",
            &[
                "String",
                "Integer",
                "Reference",
                "Binary",
                "Boolean",
                "DateTime",
            ],
        ),
        op(
            "IS NOT NULL",
            "Unary",
            "All",
            &[
                "String",
                "Integer",
                "Reference",
                "Binary",
                "Boolean",
                "DateTime",
            ],
        ),
        op("REGEX MATCH", "Binary", "All", &["String"]),
        op("NOT REGEX MATCH", "Binary", "All", &["String"]),
        op("Greater_Than", "Binary", "All", &["Integer"]),
        op("Less_Than", "Binary", "All", &["Integer"]),
        op("Includes", "Binary", "Any", &["String", "Integer"]),
        op("Excludes", "Binary", "All", &["String", "Integer"]),
    ]
}

#[derive(Debug, Clone)]
enum Node {
    Attribute(String),
    Constant(String),
    Function(String, Vec<Option<Node>>),
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at position {}.", self.at)
    }

    /// An argument: a node, or nothing before `,` / `)`.
    fn node(&mut self) -> Result<Option<Node>, String> {
        self.depth += 1;
        if self.depth > 32 {
            return Err(self.error("The expression is nested too deeply"));
        }
        self.skip_spaces();
        let result = match self.text.get(self.at) {
            None | Some(b',') | Some(b')') => Ok(None),
            Some(b'[') => {
                let start = self.at + 1;
                let end = self.text[start..]
                    .iter()
                    .position(|c| *c == b']')
                    .ok_or_else(|| self.error("Missing ']'"))?;
                self.at = start + end + 1;
                Ok(Some(Node::Attribute(
                    String::from_utf8_lossy(&self.text[start..start + end]).into_owned(),
                )))
            }
            Some(b'"') => {
                let mut value = Vec::new();
                self.at += 1;
                loop {
                    match self.text.get(self.at) {
                        None => return Err(self.error("Missing closing '\"'")),
                        Some(b'\\') if self.text.get(self.at + 1).is_some() => {
                            value.push(self.text[self.at + 1]);
                            self.at += 2;
                        }
                        Some(b'"') => {
                            self.at += 1;
                            break;
                        }
                        Some(c) => {
                            value.push(*c);
                            self.at += 1;
                        }
                    }
                }
                Ok(Some(Node::Constant(
                    String::from_utf8_lossy(&value).into_owned(),
                )))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    self.at += 1;
                }
                let name = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
                let Some((canonical, params)) = FUNCTIONS
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                else {
                    return Err(format!("Unknown function '{name}'."));
                };
                self.skip_spaces();
                if self.text.get(self.at) != Some(&b'(') {
                    return Err(self.error(&format!("Expected '(' after {canonical}")));
                }
                self.at += 1;
                let mut args = Vec::new();
                loop {
                    args.push(self.node()?);
                    self.skip_spaces();
                    match self.text.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b')') => {
                            self.at += 1;
                            break;
                        }
                        _ => return Err(self.error(&format!("Expected ',' or ')' in {canonical}"))),
                    }
                }
                if args.len() == 1 && args[0].is_none() && params.is_empty() {
                    args.clear();
                }
                if args.len() > params.len()
                    && !matches!(*canonical, "Join" | "Coalesce" | "Switch")
                {
                    return Err(format!(
                        "{canonical} takes at most {} arguments, found {}.",
                        params.len(),
                        args.len()
                    ));
                }
                Ok(Some(Node::Function((*canonical).to_owned(), args)))
            }
            Some(_) => Err(self.error("Unexpected character")),
        };
        self.depth -= 1;
        result
    }
}

fn parse(text: &str) -> Result<Node, String> {
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let node = parser.node()?.ok_or("The expression is empty.")?;
    parser.skip_spaces();
    if parser.at != text.len() {
        return Err(parser.error("Unexpected text after the expression"));
    }
    Ok(node)
}

fn expression_text(node: &Node) -> String {
    match node {
        Node::Attribute(name) => format!("[{name}]"),
        Node::Constant(value) => format!("\"{}\"", value.replace('"', "\\\"")),
        Node::Function(name, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| a.as_ref().map(expression_text).unwrap_or_default())
                .collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

/// The node as an `attributeMappingSource`.
fn source(node: &Node) -> Value {
    match node {
        Node::Attribute(name) => {
            json!({"expression": expression_text(node), "name": name, "parameters": [], "type": "Attribute"})
        }
        Node::Constant(value) => {
            json!({"expression": expression_text(node), "name": value, "parameters": [], "type": "Constant"})
        }
        Node::Function(name, args) => {
            let params = FUNCTIONS
                .iter()
                .find(|(n, _)| n == name)
                .map_or(&[][..], |(_, p)| *p);
            let parameters: Vec<Value> = args
                .iter()
                .enumerate()
                .filter_map(|(i, arg)| {
                    let key = params
                        .get(i)
                        .or(params.last())
                        .map_or("source", |(k, _)| *k);
                    arg.as_ref()
                        .map(|a| json!({"key": key, "value": source(a)}))
                })
                .collect();
            json!({"expression": expression_text(node), "name": name, "parameters": parameters, "type": "Function"})
        }
    }
}

/// Evaluates to a list of values (multi-valued attributes give several).
fn evaluate(node: &Node, input: &Value) -> Result<Vec<String>, String> {
    let one = |arg: Option<&Option<Node>>| -> Result<Option<String>, String> {
        match arg {
            Some(Some(node)) => Ok(evaluate(node, input)?.into_iter().next()),
            _ => Ok(None),
        }
    };
    match node {
        Node::Constant(v) => Ok(vec![v.clone()]),
        Node::Attribute(name) => {
            let found = input
                .get("properties")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|p| {
                    p.get("key")
                        .and_then(Value::as_str)
                        .is_some_and(|k| k.eq_ignore_ascii_case(name))
                });
            Ok(match found.and_then(|p| p.get("value")) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect(),
                Some(Value::Null) | None => vec![],
                Some(other) => vec![other.to_string()],
            })
        }
        Node::Function(name, args) => {
            if !EVALUATED.contains(&name.as_str()) {
                return Err(format!(
                    "The emulator parses {name} but does not evaluate it."
                ));
            }
            let source = one(args.first())?;
            let arg = |i: usize| one(args.get(i));
            let result = match name.as_str() {
                "Append" => {
                    let suffix = arg(1)?.unwrap_or_default();
                    source.map(|s| s + &suffix)
                }
                "ToLower" => source.map(|s| s.to_lowercase()),
                "ToUpper" => source.map(|s| s.to_uppercase()),
                "Trim" => source.map(|s| s.trim().to_owned()),
                "StripSpaces" => source.map(|s| s.replace(' ', "")),
                "Not" => source.map(|s| {
                    if s.eq_ignore_ascii_case("true") {
                        "False"
                    } else {
                        "True"
                    }
                    .to_owned()
                }),
                "IsNullOrEmpty" => Some(
                    if source.unwrap_or_default().is_empty() {
                        "True"
                    } else {
                        "False"
                    }
                    .to_owned(),
                ),
                "Coalesce" => {
                    let mut found = None;
                    for i in 0..args.len() {
                        if let Some(v) = arg(i)?.filter(|v| !v.is_empty()) {
                            found = Some(v);
                            break;
                        }
                    }
                    found
                }
                "Join" => {
                    let separator = arg(0)?.unwrap_or_default();
                    let mut parts = Vec::new();
                    for a in args.iter().skip(1).flatten() {
                        parts.extend(evaluate(a, input)?);
                    }
                    Some(parts.join(&separator))
                }
                "Left" => {
                    let n: usize = arg(1)?
                        .unwrap_or_default()
                        .trim()
                        .parse()
                        .map_err(|_| "Left: NumChars is not a number.")?;
                    source.map(|s| s.chars().take(n).collect())
                }
                "Mid" => {
                    let start: usize = arg(1)?
                        .unwrap_or_default()
                        .trim()
                        .parse()
                        .map_err(|_| "Mid: start is not a number.")?;
                    let length: usize = arg(2)?
                        .unwrap_or_default()
                        .trim()
                        .parse()
                        .map_err(|_| "Mid: length is not a number.")?;
                    source.map(|s| {
                        s.chars()
                            .skip(start.saturating_sub(1))
                            .take(length)
                            .collect()
                    })
                }
                "Replace" => {
                    if arg(2)?.is_some()
                        || arg(3)?.is_some()
                        || arg(5)?.is_some()
                        || arg(6)?.is_some()
                    {
                        return Err("The emulator evaluates Replace with source, Find and Replacement only.".to_owned());
                    }
                    let find = arg(1)?.unwrap_or_default();
                    let replacement = arg(4)?.unwrap_or_default();
                    source.map(|s| {
                        if find.is_empty() {
                            s
                        } else {
                            s.replace(&find, &replacement)
                        }
                    })
                }
                _ => None,
            };
            Ok(result.into_iter().collect())
        }
    }
}

/// The `parseExpressionResponse` for a request body.
pub(crate) fn parse_expression(body: &Value) -> Value {
    let text = body
        .get("expression")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let node = match parse(text) {
        Ok(node) => node,
        Err(message) => {
            return json!({
                "error": {"code": "ExpressionParsingFailed", "message": message},
                "evaluationSucceeded": false,
                "evaluationResult": null,
                "parsedExpression": null,
                "parsingSucceeded": false,
            });
        }
    };
    let (error, succeeded, result) = match body.get("testInputObject").filter(|v| !v.is_null()) {
        None => (Value::Null, false, Value::Null),
        Some(input) => match evaluate(&node, input) {
            Ok(values) => (Value::Null, true, json!(values)),
            Err(message) => (
                json!({"code": "ExpressionEvaluationNotSupported", "message": message}),
                false,
                Value::Null,
            ),
        },
    };
    json!({
        "error": error,
        "evaluationSucceeded": succeeded,
        "evaluationResult": result,
        "parsedExpression": source(&node),
        "parsingSucceeded": true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_example_parses_and_evaluates_as_documented() {
        let body = json!({
            "expression": "Replace([preferredLanguage], \"-\", , , \"_\", ,  )",
            "testInputObject": {"properties": [{"key": "preferredLanguage", "value": "EN-US"}]}
        });
        let answer = parse_expression(&body);
        assert_eq!(answer["evaluationResult"], json!(["EN_US"]));
        assert_eq!(
            answer["parsedExpression"]["expression"],
            "Replace([preferredLanguage], \"-\", , , \"_\", , )"
        );
        let keys: Vec<&str> = answer["parsedExpression"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["source", "Find", "Replacement"]);
        assert_eq!(
            answer["parsedExpression"]["parameters"][1]["value"]["name"],
            "-"
        );
    }

    #[test]
    fn bad_and_unevaluated_expressions_say_so() {
        for bad in [
            "",
            "Replace(",
            "Nope([a])",
            "[a",
            "\"x",
            "Append([a]) extra",
            "Left([a], 1, 2)",
        ] {
            let answer = parse_expression(&json!({"expression": bad}));
            assert_eq!(answer["parsingSucceeded"], false, "{bad}");
            assert!(answer["error"]["message"].is_string());
        }
        let deep = "Not(".repeat(100) + &")".repeat(100);
        assert_eq!(
            parse_expression(&json!({"expression": deep}))["parsingSucceeded"],
            false
        );
        let answer = parse_expression(
            &json!({"expression": "Guid()", "testInputObject": {"properties": []}}),
        );
        assert_eq!(answer["parsingSucceeded"], true);
        assert_eq!(answer["evaluationSucceeded"], false);
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("parses Guid but does not evaluate it")
        );
        let answer = parse_expression(&json!({
            "expression": "Join(\",\", [a], ToUpper([b]))",
            "testInputObject": {"properties": [{"key": "a", "value": ["x", "y"]}, {"key": "b", "value": "z"}]}
        }));
        assert_eq!(answer["evaluationResult"], json!(["x,y,Z"]));
    }
}
