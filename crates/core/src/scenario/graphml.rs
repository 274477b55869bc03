//! Parsing a GraphML network (`[network] type = "graphml"`), as NetworkX, Gephi, igraph and
//! UCINET write it, into a [`Graph`]: keys (with their defaults), nodes, edges and their
//! `<data>`. [`super::graph_file`] turns the graph into actors and relations.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::ScenarioError;
use super::graph_file::{Graph, GraphEdge, GraphSoFar, XmlGraph, attribute, error, read_xml};

/// Parses GraphML text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    read_xml::<State>(file, text)
}

/// What the reader has seen so far of a GraphML file.
#[derive(Default)]
struct State {
    /// The graph, its declared defaults and how far the file got.
    common: GraphSoFar,
    /// Key id -> attribute name, for nodes and edges.
    keys: HashMap<(bool, String), String>,
    /// The key whose `<default>` is open: (for nodes, for edges, name).
    open_key: Option<(bool, bool, String)>,
    in_default: bool,
    default_directed: bool,
    /// What the current `<data>` belongs to: a node (true) or an edge (false), and its key.
    open_data: Option<(bool, String)>,
    /// The text of the open `<data>`, which arrives in pieces (entity references apart).
    value: String,
    in_node: bool,
    in_edge: bool,
}

impl XmlGraph for State {
    const FORMAT: &'static str = "GraphML";
    const ROOT: &'static str = "graphml";

    fn text(&mut self) -> Option<&mut String> {
        (self.open_data.is_some() || self.in_default).then_some(&mut self.value)
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
            "key" => {
                let id = attribute(file, line, e, "id")?.unwrap_or_default();
                let name = attribute(file, line, e, "attr.name")?.unwrap_or_else(|| id.clone());
                let target = attribute(file, line, e, "for")?.unwrap_or_else(|| "all".into());
                let (for_node, for_edge) = (
                    target == "node" || target == "all",
                    target == "edge" || target == "all",
                );
                if for_node {
                    self.keys.insert((true, id.clone()), name.clone());
                }
                if for_edge {
                    self.keys.insert((false, id), name.clone());
                }
                if !empty {
                    self.open_key = Some((for_node, for_edge, name));
                }
            }
            "default" if self.open_key.is_some() => {
                self.in_default = !empty;
                self.value.clear();
            }
            "graph" => {
                if self.common.seen_graph {
                    return Err(error(
                        file,
                        line,
                        "expected one <graph>, found a second (nested or hyper graphs are not read)",
                    ));
                }
                self.common.seen_graph = true;
                self.default_directed =
                    attribute(file, line, e, "edgedefault")?.as_deref() == Some("directed");
            }
            "node" => {
                let id = attribute(file, line, e, "id")?
                    .ok_or_else(|| error(file, line, "expected an `id` on <node>, found none"))?;
                self.common.graph.nodes.push((id, HashMap::new(), line));
                self.in_node = !empty;
            }
            "edge" => {
                let source = attribute(file, line, e, "source")?.ok_or_else(|| {
                    error(file, line, "expected a `source` on <edge>, found none")
                })?;
                let target = attribute(file, line, e, "target")?.ok_or_else(|| {
                    error(file, line, "expected a `target` on <edge>, found none")
                })?;
                let directed = match attribute(file, line, e, "directed")?.as_deref() {
                    Some("true") => true,
                    Some("false") => false,
                    _ => self.default_directed,
                };
                self.common.graph.edges.push(GraphEdge {
                    source,
                    target,
                    data: HashMap::new(),
                    directed,
                    line,
                });
                self.in_edge = !empty;
            }
            "data" => {
                let key = attribute(file, line, e, "key")?
                    .ok_or_else(|| error(file, line, "expected a `key` on <data>, found none"))?;
                self.value.clear();
                if self.in_edge {
                    self.open_data = Some((false, key));
                } else if self.in_node {
                    self.open_data = Some((true, key));
                }
                if empty {
                    store(
                        &mut self.common.graph,
                        &self.keys,
                        self.open_data.take(),
                        &mut self.value,
                    );
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
        Ok(())
    }

    /// An element's end.
    fn end(&mut self, name: &str) {
        match name {
            "graphml" => self.common.closed = true,
            "node" => self.in_node = false,
            "edge" => self.in_edge = false,
            "data" => store(
                &mut self.common.graph,
                &self.keys,
                self.open_data.take(),
                &mut self.value,
            ),
            "default" if self.in_default => {
                self.in_default = false;
                if let Some((for_node, for_edge, name)) = &self.open_key {
                    let v = self.value.trim().to_string();
                    if *for_node {
                        self.common.node_defaults.insert(name.clone(), v.clone());
                    }
                    if *for_edge {
                        self.common.edge_defaults.insert(name.clone(), v);
                    }
                }
                self.value.clear();
            }
            "key" => self.open_key = None,
            _ => {}
        }
    }
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
