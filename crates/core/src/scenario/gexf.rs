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
use quick_xml::events::Event;

use super::ScenarioError;
use super::graph_file::{Graph, GraphEdge, LineCounter, attribute, error};

/// Parses GEXF text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Graph, ScenarioError> {
    let mut reader = Reader::from_str(text);
    let mut lines = LineCounter::new(text);
    // Attribute id -> title, for nodes (true) and edges (false).
    let mut titles: HashMap<(bool, String), String> = HashMap::new();
    let mut node_defaults: HashMap<String, String> = HashMap::new();
    let mut edge_defaults: HashMap<String, String> = HashMap::new();
    // The class of the open <attributes> (true for nodes), and the open <attribute>'s title.
    let mut class: Option<bool> = None;
    let mut open_attribute: Option<String> = None;
    let mut in_default = false;
    let mut value = String::new();
    let mut default_directed = false;
    let mut graph = Graph::default();
    let mut seen_graph = false;
    // Whether the root element has ended (a file cut short has not).
    let mut closed = false;
    let mut in_node = false;
    let mut in_edge = false;
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
                let e = e.clone();
                match e.local_name().into_inner() {
                    "graph" => {
                        if seen_graph {
                            return Err(error(file, line, "expected one <graph>, found a second"));
                        }
                        seen_graph = true;
                        default_directed = attribute(file, line, &e, "defaultedgetype")?.as_deref()
                            == Some("directed");
                    }
                    "attributes" => {
                        let c = attribute(file, line, &e, "class")?.unwrap_or_default();
                        class = match c.as_str() {
                            "node" => Some(true),
                            "edge" => Some(false),
                            _ => None,
                        };
                    }
                    "attribute" if class.is_some() && !in_node && !in_edge => {
                        let id = attribute(file, line, &e, "id")?.ok_or_else(|| {
                            error(file, line, "expected an `id` on <attribute>, found none")
                        })?;
                        let title = attribute(file, line, &e, "title")?.unwrap_or(id.clone());
                        titles.insert((class == Some(true), id), title.clone());
                        if !empty {
                            open_attribute = Some(title);
                        }
                    }
                    "default" if open_attribute.is_some() => {
                        in_default = !empty;
                        value.clear();
                    }
                    "node" if !in_node => {
                        let id = attribute(file, line, &e, "id")?.ok_or_else(|| {
                            error(file, line, "expected an `id` on <node>, found none")
                        })?;
                        let mut data = HashMap::new();
                        if let Some(label) = attribute(file, line, &e, "label")? {
                            data.insert("label".to_string(), label);
                        }
                        graph.nodes.push((id, data, line));
                        in_node = !empty;
                    }
                    "node" => {
                        return Err(error(
                            file,
                            line,
                            "expected flat nodes, found a node inside a node (hierarchical GEXF is not read)",
                        ));
                    }
                    "edge" => {
                        let source = attribute(file, line, &e, "source")?.ok_or_else(|| {
                            error(file, line, "expected a `source` on <edge>, found none")
                        })?;
                        let target = attribute(file, line, &e, "target")?.ok_or_else(|| {
                            error(file, line, "expected a `target` on <edge>, found none")
                        })?;
                        let directed = match attribute(file, line, &e, "type")?.as_deref() {
                            Some("directed") => true,
                            Some("undirected" | "mutual") => false,
                            None => default_directed,
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
                        if let Some(w) = attribute(file, line, &e, "weight")? {
                            data.insert("weight".to_string(), w);
                        }
                        graph.edges.push(GraphEdge {
                            source,
                            target,
                            data,
                            directed,
                            line,
                        });
                        in_edge = !empty;
                    }
                    "attvalue" if in_node || in_edge => {
                        // GEXF 1.2 and later say `for`, 1.1 said `id`.
                        let key = match attribute(file, line, &e, "for")? {
                            Some(k) => k,
                            None => attribute(file, line, &e, "id")?.ok_or_else(|| {
                                error(file, line, "expected a `for` on <attvalue>, found none")
                            })?,
                        };
                        let v = attribute(file, line, &e, "value")?.ok_or_else(|| {
                            error(file, line, "expected a `value` on <attvalue>, found none")
                        })?;
                        let name = titles.get(&(in_node && !in_edge, key.clone())).cloned();
                        let name = name.unwrap_or(key);
                        if in_edge {
                            if let Some(edge) = graph.edges.last_mut() {
                                edge.data.insert(name, v);
                            }
                        } else if let Some(node) = graph.nodes.last_mut() {
                            node.1.insert(name, v);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_default => {
                value.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::End(e) => match e.local_name().into_inner() {
                "gexf" => closed = true,
                "node" => in_node = false,
                "edge" => in_edge = false,
                "attributes" => class = None,
                "attribute" => open_attribute = None,
                "default" if in_default => {
                    in_default = false;
                    if let Some(title) = &open_attribute {
                        let defaults = if class == Some(true) {
                            &mut node_defaults
                        } else {
                            &mut edge_defaults
                        };
                        defaults.insert(title.clone(), value.trim().to_string());
                    }
                    value.clear();
                }
                _ => {}
            },
            Event::Eof if !closed => {
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
    if !seen_graph {
        return Err(error(
            file,
            1,
            "expected a GEXF file with a <graph>, found none",
        ));
    }
    graph.apply_defaults(&node_defaults, &edge_defaults);
    Ok(graph)
}
