//! Parsing a GEXF network (`[network] type = "gexf"`), as Gephi and NetworkX's
//! `write_gexf` write it (GEXF 1.1 to 1.3), into the same [`Graph`] a GraphML file gives ([`super::graph_file`]).
//!
//! What is read: `<attributes class="node|edge">` declarations (an attribute's `title` is
//! its name; a `<default>` fills nodes or edges that lack it), each `<node id label>` with
//! its `<attvalue for value>` (the label becomes the `label` attribute), each
//! `<edge source target weight type>` (a `weight` becomes the `weight` attribute; `type`
//! directed/undirected/mutual overrides the graph's `defaultedgetype`). Visual data, spells
//! and hierarchy are ignored; a dynamic attribute keeps its last value.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ScenarioError;
use super::graph_file::{Graph, GraphEdge, LineCounter, attribute, error};

/// Parses GEXF text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    let mut reader = Reader::from_str(text);
    let mut lines = LineCounter::new(text);
    let mut st = State::default();
    loop {
        let line = lines.at(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            error(
                file,
                line,
                format!("expected well-formed GEXF, found an XML error: {e}"),
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                st.start(file, line, e, empty)?;
            }
            Event::Text(t) if st.in_default => {
                st.value
                    .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::End(e) => st.end(e.local_name().into_inner()),
            Event::Eof if !st.closed => {
                return Err(error(
                    file,
                    line,
                    "expected the file to end with </gexf>, found its end first: is it cut short?",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.seen_graph {
        return Err(error(
            file,
            1,
            "expected a GEXF file with a <graph>, found none",
        ));
    }
    st.graph
        .apply_defaults(&st.node_defaults, &st.edge_defaults);
    Ok(st.graph)
}

/// What the reader has seen so far of a GEXF file.
#[derive(Default)]
struct State {
    /// Attribute id -> title, for nodes (true) and edges (false).
    titles: HashMap<(bool, String), String>,
    node_defaults: HashMap<String, String>,
    edge_defaults: HashMap<String, String>,
    /// The class of the open `<attributes>` (true for nodes).
    class: Option<bool>,
    /// The open `<attribute>`'s title.
    open_attribute: Option<String>,
    in_default: bool,
    value: String,
    default_directed: bool,
    graph: Graph,
    seen_graph: bool,
    /// Whether the root element has ended (a file cut short has not).
    closed: bool,
    in_node: bool,
    in_edge: bool,
}

impl State {
    /// An element's start (`empty`: it is also its end).
    fn start(
        &mut self,
        file: &str,
        line: u64,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), ScenarioError> {
        match e.local_name().into_inner() {
            "graph" => {
                if self.seen_graph {
                    return Err(error(file, line, "expected one <graph>, found a second"));
                }
                self.seen_graph = true;
                self.default_directed =
                    attribute(file, line, e, "defaultedgetype")?.as_deref() == Some("directed");
            }
            "attributes" => {
                let c = attribute(file, line, e, "class")?.unwrap_or_default();
                self.class = match c.as_str() {
                    "node" => Some(true),
                    "edge" => Some(false),
                    _ => None,
                };
            }
            "attribute" if self.class.is_some() && !self.in_node && !self.in_edge => {
                let id = attribute(file, line, e, "id")?.ok_or_else(|| {
                    error(file, line, "expected an `id` on <attribute>, found none")
                })?;
                let title = attribute(file, line, e, "title")?.unwrap_or(id.clone());
                self.titles
                    .insert((self.class == Some(true), id), title.clone());
                if !empty {
                    self.open_attribute = Some(title);
                }
            }
            "default" if self.open_attribute.is_some() => {
                self.in_default = !empty;
                self.value.clear();
            }
            "node" if !self.in_node => {
                let id = attribute(file, line, e, "id")?
                    .ok_or_else(|| error(file, line, "expected an `id` on <node>, found none"))?;
                let mut data = HashMap::new();
                if let Some(label) = attribute(file, line, e, "label")? {
                    data.insert("label".to_string(), label);
                }
                self.graph.nodes.push((id, data, line));
                self.in_node = !empty;
            }
            "node" => {
                return Err(error(
                    file,
                    line,
                    "expected flat nodes, found a node inside a node (hierarchical GEXF is not read)",
                ));
            }
            "edge" => {
                let source = attribute(file, line, e, "source")?.ok_or_else(|| {
                    error(file, line, "expected a `source` on <edge>, found none")
                })?;
                let target = attribute(file, line, e, "target")?.ok_or_else(|| {
                    error(file, line, "expected a `target` on <edge>, found none")
                })?;
                let directed = match attribute(file, line, e, "type")?.as_deref() {
                    Some("directed") => true,
                    Some("undirected" | "mutual") => false,
                    None => self.default_directed,
                    Some(other) => {
                        return Err(error(
                            file,
                            line,
                            format!(
                                "expected an edge type directed, undirected or mutual, found \"{}\"",
                                super::error::excerpt(other)
                            ),
                        ));
                    }
                };
                let mut data = HashMap::new();
                if let Some(w) = attribute(file, line, e, "weight")? {
                    data.insert("weight".to_string(), w);
                }
                self.graph.edges.push(GraphEdge {
                    source,
                    target,
                    data,
                    directed,
                    line,
                });
                self.in_edge = !empty;
            }
            "attvalue" if self.in_node || self.in_edge => {
                // GEXF 1.2 and later say `for`, 1.1 said `id`.
                let key = match attribute(file, line, e, "for")? {
                    Some(k) => k,
                    None => attribute(file, line, e, "id")?.ok_or_else(|| {
                        error(file, line, "expected a `for` on <attvalue>, found none")
                    })?,
                };
                let v = attribute(file, line, e, "value")?.ok_or_else(|| {
                    error(file, line, "expected a `value` on <attvalue>, found none")
                })?;
                let name = self
                    .titles
                    .get(&(self.in_node && !self.in_edge, key.clone()))
                    .cloned();
                let name = name.unwrap_or(key);
                if self.in_edge {
                    if let Some(edge) = self.graph.edges.last_mut() {
                        edge.data.insert(name, v);
                    }
                } else if let Some(node) = self.graph.nodes.last_mut() {
                    node.1.insert(name, v);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An element's end.
    fn end(&mut self, name: &str) {
        match name {
            "gexf" => self.closed = true,
            "node" => self.in_node = false,
            "edge" => self.in_edge = false,
            "attributes" => self.class = None,
            "attribute" => self.open_attribute = None,
            "default" if self.in_default => {
                self.in_default = false;
                if let Some(title) = &self.open_attribute {
                    let defaults = if self.class == Some(true) {
                        &mut self.node_defaults
                    } else {
                        &mut self.edge_defaults
                    };
                    defaults.insert(title.clone(), self.value.trim().to_string());
                }
                self.value.clear();
            }
            _ => {}
        }
    }
}
