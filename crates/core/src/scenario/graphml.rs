//! Parsing a GraphML network (`[network] type = "graphml"`), as NetworkX, Gephi, igraph and
//! UCINET write it, into a [`Graph`]: keys (with their defaults), nodes, edges and their
//! `<data>`. [`super::graph_file`] turns the graph into actors and relations.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ScenarioError;
use super::error::excerpt;
use super::graph_file::{Graph, GraphEdge, LineCounter, attribute, error};

/// Parses GraphML text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    let mut reader = Reader::from_str(text);
    let mut lines = LineCounter::new(text);
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
    // Whether the root element has ended (a file cut short has not).
    let mut closed = false;
    // What the current <data> belongs to: a node (true) or an edge (false), and its key.
    let mut open_data: Option<(bool, String)> = None;
    // The text of the open <data>, which arrives in pieces (entity references apart).
    let mut value = String::new();
    let mut in_node = false;
    let mut in_edge = false;
    loop {
        let line = lines.at(reader.buffer_position());
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
                "graphml" => closed = true,
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
            Event::Eof if !closed => {
                return Err(error(
                    file,
                    line,
                    "expected the file to end with </graphml>, found its end first: is it cut short?",
                ));
            }
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
