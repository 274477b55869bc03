//! A network read from a graph file (`[network] type = "graphml"` or `"gexf"`), as
//! NetworkX, Gephi, igraph and UCINET write them: the parsed [`Graph`] both parsers
//! ([`super::graphml`], [`super::gexf`]) produce, and its turning into actors and
//! relations (`super::network::read_graph` picks the parser). Nodes become actors (their attributes, renamed by `[network.attributes]`,
//! give `kind`, `sector`, `name`, `power`, ...), edges become relations (a `trust` or
//! `weight` attribute as initial trust). No I/O: the text comes through the scenario's
//! loader. Errors name the file, the line and what was wrong.

use std::collections::{BTreeMap, HashMap};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ScenarioError;
use super::error::excerpt;
use super::raw::RawActor;

/// One edge as read: source and target ids, its attributes, whether it is directed, and
/// its line.
pub(crate) struct GraphEdge {
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) data: HashMap<String, String>,
    pub(crate) directed: bool,
    pub(crate) line: u64,
}

/// A graph as read from GraphML or GEXF: nodes (id, attributes by name, line) and
/// edges, in file order.
#[derive(Default)]
pub(crate) struct Graph {
    pub(crate) nodes: Vec<(String, HashMap<String, String>, u64)>,
    pub(crate) edges: Vec<GraphEdge>,
}

impl Graph {
    /// Gives every node and edge the declared default of each attribute it lacks.
    pub(crate) fn apply_defaults(
        &mut self,
        node: &HashMap<String, String>,
        edge: &HashMap<String, String>,
    ) {
        let fill = |data: &mut HashMap<String, String>, defaults: &HashMap<String, String>| {
            for (k, v) in defaults {
                data.entry(k.clone()).or_insert_with(|| v.clone());
            }
        };
        for n in &mut self.nodes {
            fill(&mut n.1, node);
        }
        for e in &mut self.edges {
            fill(&mut e.data, edge);
        }
    }
}

/// Line numbers of byte positions in `text`, for a reader that moves forward: each call
/// counts the newlines since the last one, so a whole file costs one pass (counting from
/// the start at every XML event made a 2,000-node file take seconds).
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `pos` (a position before the last one asked counts again
    /// from the start).
    pub(crate) fn at(&mut self, pos: u64) -> u64 {
        let pos = (pos as usize).min(self.text.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.pos = pos;
        self.line
    }
}

/// What a format's reader (GraphML, GEXF) keeps of the XML events [`read_xml`] hands it.
pub(crate) trait XmlGraph: Default {
    /// The format's name in errors.
    const FORMAT: &'static str;
    /// The root element, whose end says the file is whole.
    const ROOT: &'static str;
    /// An element's start (`empty`: it is also its end).
    fn start(
        &mut self,
        file: &str,
        line: u64,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), ScenarioError>;
    /// An element's end.
    fn end(&mut self, name: &str);
    /// Where the text of the open element goes, when it is one whose text is kept.
    fn text(&mut self) -> Option<&mut String>;
    /// What the reader has gathered that both formats keep alike.
    fn so_far(&mut self) -> &mut GraphSoFar;
}

/// What both readers gather alike: the graph, the declared defaults of node and edge
/// attributes, whether a `<graph>` was seen and whether the root element has ended (a
/// file cut short has not).
#[derive(Default)]
pub(crate) struct GraphSoFar {
    pub(crate) graph: Graph,
    pub(crate) node_defaults: HashMap<String, String>,
    pub(crate) edge_defaults: HashMap<String, String>,
    pub(crate) seen_graph: bool,
    pub(crate) closed: bool,
}

/// Reads an XML graph file event by event into `S`: the loop both formats share, with
/// each event's line, text pieces (character data, CDATA, entity references) joined, and
/// a file cut short (its root never closed) refused.
pub(crate) fn read_xml<S: XmlGraph>(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    let mut reader = Reader::from_str(text);
    let mut lines = LineCounter::new(text);
    let mut st = S::default();
    loop {
        let line = lines.at(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            error(
                file,
                line,
                format!(
                    "expected well-formed {}, found an XML error: {e}",
                    S::FORMAT
                ),
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                st.start(file, line, e, empty)?;
            }
            Event::Text(t) => {
                if let Some(value) = st.text() {
                    value.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
            }
            Event::CData(t) => {
                if let Some(value) = st.text() {
                    value.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(value) = st.text() {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten().map(|c| c.to_string())
                    } else {
                        quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string)
                    };
                    let resolved = resolved.ok_or_else(|| {
                        error(
                            file,
                            line,
                            format!("expected a known entity, found &{};", excerpt(&r)),
                        )
                    })?;
                    value.push_str(&resolved);
                }
            }
            Event::End(e) => st.end(e.local_name().into_inner()),
            Event::Eof if !st.so_far().closed => {
                return Err(error(
                    file,
                    line,
                    format!(
                        "expected the file to end with </{}>, found its end first: is it cut short?",
                        S::ROOT
                    ),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut so_far = std::mem::take(st.so_far());
    so_far
        .graph
        .apply_defaults(&so_far.node_defaults, &so_far.edge_defaults);
    so_far.seen_graph.then_some(so_far.graph).ok_or_else(|| {
        error(
            file,
            1,
            format!("expected a {} file with a <graph>, found none", S::FORMAT),
        )
    })
}

pub(crate) fn error(file: &str, line: u64, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        key: String::new(),
        line: Some(line as usize),
        message: message.into(),
    }
}

/// The value of XML attribute `name` on element `e`, if present.
pub(crate) fn attribute(
    file: &str,
    line: u64,
    e: &BytesStart<'_>,
    name: &str,
) -> Result<Option<String>, ScenarioError> {
    for attr in e.attributes() {
        let attr = attr.map_err(|x| {
            error(
                file,
                line,
                format!("expected well-formed XML attributes, found {x}"),
            )
        })?;
        if attr.key.into_inner() == name {
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| {
                    error(
                        file,
                        line,
                        format!("expected an XML attribute value, found {x}"),
                    )
                })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// The scenario's name for an attribute: `[network.attributes]` maps our names (`kind`,
/// `sector`, `name`, `power`, `capacity`, `culture`, `commitment`, `trust`, `weight`) to
/// the file's.
fn renamed<'a>(attributes: &'a BTreeMap<String, String>, ours: &'a str) -> &'a str {
    attributes.get(ours).map_or(ours, String::as_str)
}

/// The actors of a graph, with the line of each node. A node without a `name` is named
/// by its `label` (GEXF's and yEd's), else by its id.
pub(crate) fn actors(
    file: &str,
    graph: &Graph,
    attributes: &BTreeMap<String, String>,
) -> Result<Vec<(RawActor, u64)>, ScenarioError> {
    let mut out = Vec::with_capacity(graph.nodes.len());
    for (id, data, line) in &graph.nodes {
        let text = |ours: &str| data.get(renamed(attributes, ours)).cloned();
        let required = |ours: &str| {
            text(ours).ok_or_else(|| {
                error(
                    file,
                    *line,
                    format!(
                        "expected a `{}` attribute on node \"{}\" (or [network.attributes] {ours} = \"its name\"), found none",
                        renamed(attributes, ours),
                        excerpt(id)
                    ),
                )
            })
        };
        let number = |ours: &str| -> Result<Option<f64>, ScenarioError> {
            match text(ours) {
                None => Ok(None),
                Some(v) => v.trim().parse::<f64>().map(Some).map_err(|_| {
                    error(
                        file,
                        *line,
                        format!(
                            "expected a number for `{}` of node \"{}\", found \"{}\"",
                            renamed(attributes, ours),
                            excerpt(id),
                            excerpt(&v)
                        ),
                    )
                }),
            }
        };
        out.push((
            RawActor {
                id: id.clone(),
                name: text("name").or_else(|| data.get("label").cloned()),
                kind: required("kind")?,
                sector: required("sector")?,
                power: number("power")?,
                capacity: number("capacity")?,
                culture: number("culture")?,
                culture_indicators: None,
                commitment: number("commitment")?,
                view: None,
            },
            *line,
        ));
    }
    Ok(out)
}

/// The relations of a graph as an edge list (source, target, trust or NaN, line):
/// an undirected edge with a trust gives it both ways; a directed edge sets the source's
/// trust in the target (its reverse relation exists too, as for an edge CSV).
pub(crate) fn edges(
    file: &str,
    graph: &Graph,
    attributes: &BTreeMap<String, String>,
    ids: &HashMap<&str, u32>,
) -> Result<super::EdgeList, ScenarioError> {
    let mut out = Vec::with_capacity(graph.edges.len());
    let mut seen: HashMap<(u32, u32), u64> = HashMap::new();
    for e in &graph.edges {
        let id = |v: &str| {
            ids.get(v).copied().ok_or_else(|| {
                error(
                    file,
                    e.line,
                    format!(
                        "expected an edge between nodes of the graph, found unknown node \"{}\"",
                        excerpt(v)
                    ),
                )
            })
        };
        let (a, b) = (id(&e.source)?, id(&e.target)?);
        if a == b {
            return Err(error(
                file,
                e.line,
                format!(
                    "expected a relation between two actors, found a self-loop on \"{}\"",
                    excerpt(&e.source)
                ),
            ));
        }
        let given = e
            .data
            .get(renamed(attributes, "trust"))
            .or_else(|| e.data.get(renamed(attributes, "weight")));
        let trust = match given {
            None => f64::NAN,
            Some(v) => {
                let t: f64 = v.trim().parse().map_err(|_| {
                    error(
                        file,
                        e.line,
                        format!(
                            "expected a trust (or weight) in [0, 1], found \"{}\"",
                            excerpt(v)
                        ),
                    )
                })?;
                if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
                    return Err(error(
                        file,
                        e.line,
                        format!("expected a trust (or weight) in [0, 1], found {t}"),
                    ));
                }
                t
            }
        };
        let mut push = |a: u32, b: u32| -> Result<(), ScenarioError> {
            if let Some(first) = seen.insert((a, b), e.line) {
                return Err(error(
                    file,
                    e.line,
                    format!(
                        "expected each relation once, found {} -> {} again (first on line {first})",
                        excerpt(&e.source),
                        excerpt(&e.target)
                    ),
                ));
            }
            out.push((a, b, trust, e.line));
            Ok(())
        };
        push(a, b)?;
        if !e.directed && !trust.is_nan() {
            push(b, a)?;
        }
    }
    Ok(out)
}
