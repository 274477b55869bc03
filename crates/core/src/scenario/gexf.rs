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

use quick_xml::events::BytesStart;

use super::ScenarioError;
use super::graph_file::{Graph, GraphEdge, GraphSoFar, XmlGraph, attribute, error, read_xml};

/// Parses GEXF text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    read_xml::<State>(file, text)
}

/// What the reader has seen so far of a GEXF file.
#[derive(Default)]
struct State {
    /// The graph, its declared defaults and how far the file got.
    common: GraphSoFar,
    /// Attribute id -> title, for nodes (true) and edges (false).
    titles: HashMap<(bool, String), String>,
    /// The class of the open `<attributes>` (true for nodes).
    class: Option<bool>,
    /// The open `<attribute>`'s title.
    open_attribute: Option<String>,
    in_default: bool,
    value: String,
    default_directed: bool,
    in_node: bool,
    in_edge: bool,
}

impl XmlGraph for State {
    const FORMAT: &'static str = "GEXF";
    const ROOT: &'static str = "gexf";

    fn text(&mut self) -> Option<&mut String> {
        self.in_default.then_some(&mut self.value)
    }

    fn so_far(&mut self) -> &mut GraphSoFar {
        &mut self.common
    }

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
                if self.common.seen_graph {
                    return Err(error(file, line, "expected one <graph>, found a second"));
                }
                self.common.seen_graph = true;
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
                self.common.graph.nodes.push((id, data, line));
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
                self.common.graph.edges.push(GraphEdge {
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
                    if let Some(edge) = self.common.graph.edges.last_mut() {
                        edge.data.insert(name, v);
                    }
                } else if let Some(node) = self.common.graph.nodes.last_mut() {
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
            "gexf" => self.common.closed = true,
            "node" => self.in_node = false,
            "edge" => self.in_edge = false,
            "attributes" => self.class = None,
            "attribute" => self.open_attribute = None,
            "default" if self.in_default => {
                self.in_default = false;
                if let Some(title) = &self.open_attribute {
                    let defaults = if self.class == Some(true) {
                        &mut self.common.node_defaults
                    } else {
                        &mut self.common.edge_defaults
                    };
                    defaults.insert(title.clone(), self.value.trim().to_string());
                }
                self.value.clear();
            }
            _ => {}
        }
    }
}
