//! Reading a network file (`[network] type = "graphml"` or `"gexf"`), as NetworkX, Gephi,
//! igraph and UCINET write them: this module parses GraphML and turns any parsed
//! [`Graph`] (from here or from [`super::gexf`]) into actors and relations. Nodes become
//! actors (their attributes, renamed by `[network.attributes]`, give `kind`, `sector`,
//! `name`, `power`, ...), edges become relations (a `trust` or `weight` attribute as
//! initial trust). No I/O: the text comes through the scenario's loader. Errors name the
//! file, the line and what was wrong.

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

/// The graph of a `graphml` or `gexf` network file.
pub(crate) fn read(
    network: &super::raw::RawNetwork,
    file: &str,
    text: &str,
) -> Result<Graph, ScenarioError> {
    match network {
        super::raw::RawNetwork::Gexf { .. } => super::gexf::parse(file, text),
        _ => parse(file, text),
    }
}

/// The 1-based line of a byte position in `text`.
pub(crate) fn line_at(text: &str, pos: u64) -> u64 {
    text.as_bytes()[..(pos as usize).min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
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

/// Parses GraphML text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    let mut reader = Reader::from_str(text);
    // key id -> attribute name, for nodes and edges.
    let mut keys: HashMap<(bool, String), String> = HashMap::new();
    // Declared defaults (<key><default>...</default></key>) by attribute name.
    let mut node_defaults: HashMap<String, String> = HashMap::new();
    let mut edge_defaults: HashMap<String, String> = HashMap::new();
    // The key whose <default> is open: (for nodes, for edges, name).
    let mut open_key: Option<(bool, bool, String)> = None;
    let mut in_default = false;
    let mut default_directed = false;
    let mut graph = Graph::default();
    let mut seen_graph = false;
    // What the current <data> belongs to: a node (true) or an edge (false), and its key.
    let mut open_data: Option<(bool, String)> = None;
    // The text of the open <data>, which arrives in pieces (entity references apart).
    let mut value = String::new();
    let mut in_node = false;
    let mut in_edge = false;
    loop {
        let line = line_at(text, reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            error(
                file,
                line,
                format!("expected well-formed GraphML, found an XML error: {e}"),
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let e = e.clone();
                match e.local_name().into_inner() {
                    "key" => {
                        let id = attribute(file, line, &e, "id")?.unwrap_or_default();
                        let name =
                            attribute(file, line, &e, "attr.name")?.unwrap_or_else(|| id.clone());
                        let target =
                            attribute(file, line, &e, "for")?.unwrap_or_else(|| "all".into());
                        let (for_node, for_edge) = (
                            target == "node" || target == "all",
                            target == "edge" || target == "all",
                        );
                        if for_node {
                            keys.insert((true, id.clone()), name.clone());
                        }
                        if for_edge {
                            keys.insert((false, id), name.clone());
                        }
                        if !empty {
                            open_key = Some((for_node, for_edge, name));
                        }
                    }
                    "default" if open_key.is_some() => {
                        in_default = !empty;
                        value.clear();
                    }
                    "graph" => {
                        if seen_graph {
                            return Err(error(
                                file,
                                line,
                                "expected one <graph>, found a second (nested or hyper graphs are not read)",
                            ));
                        }
                        seen_graph = true;
                        default_directed = attribute(file, line, &e, "edgedefault")?.as_deref()
                            == Some("directed");
                    }
                    "node" => {
                        let id = attribute(file, line, &e, "id")?.ok_or_else(|| {
                            error(file, line, "expected an `id` on <node>, found none")
                        })?;
                        graph.nodes.push((id, HashMap::new(), line));
                        in_node = !empty;
                    }
                    "edge" => {
                        let source = attribute(file, line, &e, "source")?.ok_or_else(|| {
                            error(file, line, "expected a `source` on <edge>, found none")
                        })?;
                        let target = attribute(file, line, &e, "target")?.ok_or_else(|| {
                            error(file, line, "expected a `target` on <edge>, found none")
                        })?;
                        let directed = match attribute(file, line, &e, "directed")?.as_deref() {
                            Some("true") => true,
                            Some("false") => false,
                            _ => default_directed,
                        };
                        graph.edges.push(GraphEdge {
                            source,
                            target,
                            data: HashMap::new(),
                            directed,
                            line,
                        });
                        in_edge = !empty;
                    }
                    "data" => {
                        let key = attribute(file, line, &e, "key")?.ok_or_else(|| {
                            error(file, line, "expected a `key` on <data>, found none")
                        })?;
                        value.clear();
                        if in_edge {
                            open_data = Some((false, key));
                        } else if in_node {
                            open_data = Some((true, key));
                        }
                        if empty {
                            store(&mut graph, &keys, open_data.take(), &mut value);
                        }
                    }
                    "hyperedge" => {
                        return Err(error(
                            file,
                            line,
                            "expected nodes and edges, found a <hyperedge> (not read)",
                        ));
                    }
                    _ => {}
                }
            }
            Event::Text(t) if open_data.is_some() || in_default => {
                value.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::CData(t) if open_data.is_some() || in_default => {
                value.push_str(&t.into_inner());
            }
            Event::GeneralRef(r) if open_data.is_some() || in_default => {
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
            Event::End(e) => match e.local_name().into_inner() {
                "node" => in_node = false,
                "edge" => in_edge = false,
                "data" => store(&mut graph, &keys, open_data.take(), &mut value),
                "default" if in_default => {
                    in_default = false;
                    if let Some((for_node, for_edge, name)) = &open_key {
                        let v = value.trim().to_string();
                        if *for_node {
                            node_defaults.insert(name.clone(), v.clone());
                        }
                        if *for_edge {
                            edge_defaults.insert(name.clone(), v);
                        }
                    }
                    value.clear();
                }
                "key" => open_key = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_graph {
        return Err(error(
            file,
            1,
            "expected a GraphML file with a <graph>, found none",
        ));
    }
    graph.apply_defaults(&node_defaults, &edge_defaults);
    Ok(graph)
}

/// Stores the text of a finished <data> under its attribute's name.
fn store(
    graph: &mut Graph,
    keys: &HashMap<(bool, String), String>,
    open: Option<(bool, String)>,
    value: &mut String,
) {
    if let Some((for_node, key)) = open {
        let name = keys.get(&(for_node, key.clone())).cloned().unwrap_or(key);
        let text = value.trim().to_string();
        if for_node {
            if let Some(node) = graph.nodes.last_mut() {
                node.1.insert(name, text);
            }
        } else if let Some(edge) = graph.edges.last_mut() {
            edge.data.insert(name, text);
        }
    }
    value.clear();
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
