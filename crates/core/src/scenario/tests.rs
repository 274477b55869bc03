//! Scenario parsing and validation tests: defaults, precedence, and every class of bad input.

use std::collections::HashMap;

use super::*;
use crate::Kind;

const BASE: &str = r#"
name = "t"
rounds = 10
replicates = 3
[[sectors]]
name = "health"
agencies = 2
ngo = 1
[[sectors]]
name = "water"
agencies = 1
community = 2
"#;

fn parse(src: &str) -> Result<Scenario, ScenarioError> {
    Scenario::parse(src, "test.toml", &no_files)
}

fn parse_with(src: &str, files: &[(&str, &str)]) -> Result<Scenario, ScenarioError> {
    let map: HashMap<String, String> = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let load = move |p: &str| {
        map.get(p)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    };
    Scenario::parse(src, "test.toml", &load)
}

fn err(src: &str) -> ScenarioError {
    parse(src).expect_err("should be refused")
}

#[test]
fn generated_actors_have_ids_kinds_and_sectors() {
    let s = parse(BASE).unwrap();
    let ids: Vec<&str> = s.forum.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "health-agency-1",
            "health-agency-2",
            "health-ngo-1",
            "water-agency-1",
            "water-community-1",
            "water-community-2"
        ]
    );
    assert_eq!(s.forum.actors[4].kind, Kind::Community);
    assert_eq!(s.forum.actors[4].sector, 1);
    assert_eq!(s.issues, 2);
    assert_eq!(s.forum.graph.n_relations(), 15);
}

#[test]
fn most_specific_initial_setting_wins() {
    let src = format!(
        "{BASE}\n[initial]\npower = 0.1\n[initial.kind.agency]\npower = 0.2\n[initial.sector.water]\npower = 0.3\n[initial.sector.water.kind.community]\npower = \"uniform(0.4, 0.5)\"\n"
    );
    let s = parse(&src).unwrap();
    let power = |i: usize| {
        s.forum.profiles[s.forum.actors[i].profile as usize]
            .power
            .to_string()
    };
    assert_eq!(power(0), "constant(0.2)"); // health agency: kind
    assert_eq!(power(2), "constant(0.1)"); // health ngo: top
    assert_eq!(power(3), "constant(0.3)"); // water agency: sector beats kind
    assert_eq!(power(4), "uniform(0.4, 0.5)"); // water community: sector+kind
}

#[test]
fn per_issue_views_and_culture_indicators() {
    let src = format!(
        "{BASE}\n[initial.sector.health]\nview = [\"uniform(0, 0.3)\", 0.9]\nculture_indicators = [1, 1, 1, 1, 0, 0, 0.5]\n"
    );
    let s = parse(&src).unwrap();
    let p = &s.forum.profiles[s.forum.actors[0].profile as usize];
    assert_eq!(p.view[0].to_string(), "uniform(0, 0.3)");
    assert_eq!(p.view[1].to_string(), "constant(0.9)");
    assert!((p.culture.mean() - 4.5 / 7.0).abs() < 1e-12);
}

#[test]
fn unknown_key_names_key_and_line() {
    let e = err("name = \"x\"\n[parameters]\nsillo = 0.3\n");
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("sillo"), "{e}");
    assert!(e.to_string().starts_with("test.toml, line 3"), "{e}");
}

#[test]
fn mu_above_half_is_refused_with_its_line() {
    let e = err(&format!("{BASE}\n[parameters]\nconvergence = 0.6\n"));
    assert_eq!(e.key, "parameters.convergence");
    assert_eq!(e.line, Some(15));
    assert!(
        e.message.contains("[0, 0.5]") && e.message.contains("0.6"),
        "{e}"
    );
}

#[test]
fn out_of_range_and_non_finite_values_are_refused() {
    let e = err(&format!("{BASE}\n[parameters]\nsilo = 1.5\n"));
    assert_eq!(e.key, "parameters.silo");
    let e = err(&format!("{BASE}\n[parameters]\nleadership = nan\n"));
    assert!(e.message.contains("NaN"), "{e}");
    let e = err(&format!(
        "{BASE}\n[initial]\npower = \"uniform(0.8, 0.2)\"\n"
    ));
    assert_eq!(e.key, "initial.power");
    assert!(e.message.contains("low <= high"));
    let e = err("name = \"x\"\nrounds = -3\n");
    assert_eq!(e.line, Some(2));
}

#[test]
fn empty_sector_and_no_actor_are_refused() {
    let e =
        err("name = \"x\"\n[[sectors]]\nname = \"a\"\nagencies = 1\n[[sectors]]\nname = \"b\"\n");
    assert_eq!(e.key, "sectors[1]");
    assert!(e.message.contains("\"b\""), "{e}");
    let e = err("name = \"x\"\n");
    assert!(e.message.contains("at least one actor"));
}

#[test]
fn views_need_one_distribution_per_issue() {
    let e = err(&format!("{BASE}\n[initial]\nview = [0.1, 0.2, 0.3]\n"));
    assert_eq!(e.key, "initial.view");
    assert!(e.message.contains("expected 2"));
}

#[test]
fn unknown_kind_or_sector_in_initial_is_refused() {
    let e = err(&format!("{BASE}\n[initial.kind.church]\npower = 0.2\n"));
    assert_eq!(e.key, "initial.kind.church");
    let e = err(&format!("{BASE}\n[initial.sector.energy]\npower = 0.2\n"));
    assert!(e.message.contains("energy"));
}

#[test]
fn edge_file_builds_relations_with_directed_trust() {
    let src = format!("{BASE}\n[network]\ntype = \"edges\"\nfile = \"e.csv\"\n");
    let csv = "\u{feff}source,target,trust\r\nhealth-agency-1,water-agency-1,0.9\r\nwater-agency-1,health-agency-1,0.2\r\nhealth-ngo-1,water-community-2\r\n";
    let s = parse_with(&src, &[("e.csv", csv)]).unwrap();
    let g = &s.forum.graph;
    assert_eq!(g.n_relations(), 2);
    let fixed = s.forum.fixed_trust.as_ref().unwrap();
    let slot = g.slots(0).start; // health-agency-1's only neighbour: water-agency-1 (index 3)
    assert_eq!(g.neighbors(0)[0], 3);
    assert_eq!(fixed[slot], 0.9);
    assert_eq!(fixed[g.reverse(slot)], 0.2);
    assert!(fixed[g.slots(2).start].is_nan());
}

#[test]
fn edge_file_errors_name_file_and_line() {
    let src = format!("{BASE}\n[network]\ntype = \"edges\"\nfile = \"e.csv\"\n");
    let cases = [
        (
            "source,target\nhealth-agency-1,nobody\n",
            2,
            "unknown id \"nobody\"",
        ),
        // A file that is not an edge CSV: its first line is not echoed.
        ("root:x:0:0:secret,hash\n", 1, "is e.csv an edge CSV?"),
        (
            "health-agency-1,water-agency-1\nhealth-agency-1,health-agency-1\n",
            2,
            "self-relation",
        ),
        (
            "health-agency-1,water-agency-1\nhealth-agency-1,water-agency-1\n",
            2,
            "first on line 1",
        ),
        ("health-agency-1\n", 1, "expected 2 or 3 columns"),
        ("health-agency-1,water-agency-1,1.7\n", 1, "[0, 1]"),
    ];
    for (csv, line, needle) in cases {
        let e = parse_with(&src, &[("e.csv", csv)]).expect_err(csv);
        assert_eq!(e.file, "e.csv");
        assert_eq!(e.line, Some(line), "{e}");
        assert!(e.message.contains(needle), "{e}");
        assert!(!e.message.contains("secret"), "{e}");
    }
    let e = parse(&src).expect_err("missing file");
    assert_eq!(e.key, "network.file");
}

#[test]
fn explicit_actors_from_table_and_file() {
    let src = r#"
name = "listed"
actors_file = "a.csv"
[[sectors]]
name = "planning"
[[actors]]
id = "bappeda"
name = "Regional Planning Agency"
kind = "agency"
sector = "planning"
power = 0.9
view = [0.1, 0.2]
"#;
    let csv = "id,kind,sector,power,view_1,view_2\nwalhi,ngo,planning,0.3,0.8,0.7\n";
    let s = parse_with(src, &[("a.csv", csv)]).unwrap();
    assert_eq!(s.forum.n_actors(), 2);
    let f = s.forum.actors[0].fixed.as_ref().unwrap();
    assert_eq!(f.power, Some(0.9));
    assert_eq!(
        s.forum.actors[1].fixed.as_ref().unwrap().view,
        Some(vec![0.8, 0.7])
    );
    let bad =
        parse_with(src, &[("a.csv", "id,kind,sector\nx,church,planning\n")]).expect_err("bad kind");
    assert!(bad.message.contains("church"));
}

#[test]
fn actors_file_takes_the_seven_culture_indicators() {
    let src = "name = \"c\"\nactors_file = \"a.csv\"\n[[sectors]]\nname = \"planning\"\n";
    // Likert 1-5 answers rescaled as (answer - 1) / 4.
    let csv = "id,kind,sector,culture_1,culture_2,culture_3,culture_4,culture_5,culture_6,culture_7\n\
               a,agency,planning,1,0.75,0.5,0.5,0.25,1,0.5\n\
               b,ngo,planning,,,,,,,\n";
    let s = parse_with(src, &[("a.csv", csv)]).unwrap();
    let a = s.forum.actors[0].fixed.as_ref().unwrap();
    assert!((a.culture.unwrap() - 4.5 / 7.0).abs() < 1e-12);
    assert!(
        s.forum.actors[1]
            .fixed
            .as_ref()
            .is_none_or(|f| f.culture.is_none())
    );
    let cases = [
        (
            "id,kind,sector,culture_1,culture_2\na,agency,planning,1,1\n",
            1,
            "culture_3",
        ),
        (
            "id,kind,sector,culture,culture_1,culture_2,culture_3,culture_4,culture_5,culture_6,culture_7\na,agency,planning,1,1,1,1,1,1,1,1\n",
            1,
            "found both",
        ),
        (
            "id,kind,sector,culture_1,culture_2,culture_3,culture_4,culture_5,culture_6,culture_7\na,agency,planning,1,1,1,1,5,1,1\n",
            2,
            "rescale Likert answers",
        ),
        (
            "id,kind,sector,culture_1,culture_2,culture_3,culture_4,culture_5,culture_6,culture_7\na,agency,planning,1,1,1,,1,1,1\n",
            2,
            "all seven culture scores or none, found 6",
        ),
    ];
    for (csv, line, needle) in cases {
        let e = parse_with(src, &[("a.csv", csv)]).expect_err(csv);
        assert_eq!((e.file.as_str(), e.line), ("a.csv", Some(line)), "{e}");
        assert!(e.message.contains(needle), "{e}");
    }
}

#[test]
fn sbm_and_small_world_build() {
    let s = parse(&format!(
        "{BASE}\n[network]\ntype = \"sbm\"\np_within = 1.0\np_across = 0.0\n"
    ))
    .unwrap();
    assert_eq!(s.forum.graph.n_relations(), 3 + 3);
    let e = parse(&format!(
        "{BASE}\n[network]\ntype = \"small_world\"\nk = 3\n"
    ))
    .expect_err("odd k");
    assert_eq!(e.key, "network.k");
    let e = parse(&format!("{BASE}\n[network]\ntype = \"ring\"\n")).expect_err("unknown type");
    assert!(e.message.contains("ring"), "{e}");
}

#[test]
fn huge_complete_network_is_refused_up_front() {
    let e = err("name = \"x\"\n[[sectors]]\nname = \"a\"\ncommunity = 1000000\n");
    assert_eq!(e.key, "network");
    assert!(e.message.contains("GiB"), "{e}");
}

#[test]
fn interventions_are_validated_and_build_windows() {
    let src = format!(
        "{BASE}\n[network]\ntype = \"sbm\"\np_within = 1.0\np_across = 0.0\n\
         [[interventions]]\ntype = \"coordinating_agency\"\nround = 3\n\
         [[interventions]]\ntype = \"task_force\"\nfrom = 2\nuntil = 4\nsectors = [\"health\", \"water\"]\n\
         [[interventions]]\ntype = \"set\"\nround = 5\nparameter = \"silo\"\nvalue = 0.1\n"
    );
    let s = parse(&src).unwrap();
    assert_eq!(s.forum.n_actors(), 7);
    assert_eq!(s.forum.actors[6].joins_at, 3);
    assert_eq!(s.forum.sectors, ["health", "water", "coordination"]);
    let windows = s.forum.windows.as_ref().unwrap();
    // 6 base + 3 coordinator-agency relations + 9 missing health-water pairs.
    assert_eq!(s.forum.graph.n_relations(), 6 + 3 + 9);
    assert_eq!(
        windows
            .iter()
            .filter(|w| w.from == 2 && w.until == 4)
            .count(),
        18
    );
    let rounds: Vec<u32> = s.interventions.iter().map(Intervention::round).collect();
    assert_eq!(rounds, [2, 3, 5]);

    let e = err(&format!(
        "{BASE}\n[[interventions]]\ntype = \"set\"\nround = 2\nparameter = \"convergence\"\nvalue = 0.8\n"
    ));
    assert_eq!(e.key, "interventions[0].parameter");
    let e = err(&format!(
        "{BASE}\n[[interventions]]\ntype = \"merge\"\nround = 2\nsectors = [\"health\"]\n"
    ));
    assert!(e.message.contains("at least two"));
    let e = err(&format!(
        "{BASE}\n[[interventions]]\ntype = \"merge\"\nround = 99\nsectors = [\"health\", \"water\"]\n"
    ));
    assert_eq!(e.key, "interventions[0].round");
}

#[test]
fn resolved_image_has_every_default() {
    let s = parse(BASE).unwrap();
    let r = &s.resolved;
    assert_eq!(
        r.initial.power,
        Some(toml::Value::String("constant(0.5)".into()))
    );
    assert_eq!(
        r.initial.view,
        Some(toml::Value::String("uniform(0, 1)".into()))
    );
    assert_eq!(r.parameters, Params::default());
    assert_eq!(r.seed, 1);
}

const GRAPHML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="type" attr.type="string"/>
  <key id="d1" for="node" attr.name="sector" attr.type="string"/>
  <key id="d2" for="node" attr.name="power" attr.type="double"/>
  <key id="d3" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="health &amp; care"><data key="d0">agency</data><data key="d1">health</data><data key="d2">0.8</data></node>
    <node id="ngo-1"><data key="d0">ngo</data><data key="d1">health</data></node>
    <node id="planning"><data key="d0">agency</data><data key="d1">planning</data></node>
    <edge source="health &amp; care" target="ngo-1"><data key="d3">0.7</data></edge>
    <edge source="ngo-1" target="planning" directed="true"><data key="d3">0.2</data></edge>
    <edge source="planning" target="health &amp; care"/>
  </graph>
</graphml>
"#;

#[test]
fn graphml_nodes_become_actors_and_edges_relations() {
    let src = "name = \"g\"\n[network]\ntype = \"graphml\"\nfile = \"g.graphml\"\n[network.attributes]\nkind = \"type\"\n";
    let s = parse_with(src, &[("g.graphml", GRAPHML)]).unwrap();
    let ids: Vec<&str> = s.forum.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["health & care", "ngo-1", "planning"]);
    // Sectors named only in the graph are created in order of first appearance.
    assert_eq!(s.forum.sectors, ["health", "planning"]);
    assert_eq!(s.forum.actors[1].kind, crate::Kind::Ngo);
    assert_eq!(s.forum.actors[0].fixed.as_ref().unwrap().power, Some(0.8));
    assert_eq!(s.forum.graph.n_relations(), 3);
    let trust = s.forum.fixed_trust.as_ref().unwrap();
    let slot = |a: usize, b: usize| s.forum.graph.slot_of(a, b).unwrap();
    // An undirected edge's weight both ways; a directed one its source's (and, listed
    // one way only, the reverse too, as for an edge CSV); no weight: drawn.
    assert_eq!((trust[slot(0, 1)], trust[slot(1, 0)]), (0.7, 0.7));
    assert_eq!(trust[slot(1, 2)], 0.2);
    assert!(trust[slot(2, 0)].is_nan());
}

#[test]
fn graphml_errors_name_file_and_line() {
    let src = "name = \"g\"\n[network]\ntype = \"graphml\"\nfile = \"g.graphml\"\n";
    // Without the rename, the nodes have no `kind`.
    let e = parse_with(src, &[("g.graphml", GRAPHML)]).unwrap_err();
    assert_eq!(e.file, "g.graphml");
    assert_eq!(e.line, Some(8));
    assert!(e.message.contains("`kind`"), "{}", e.message);
    let renamed = format!("{src}[network.attributes]\nkind = \"type\"\n");
    let bad_weight = GRAPHML.replace(">0.2<", ">1.5<");
    let e = parse_with(&renamed, &[("g.graphml", &bad_weight)]).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("g.graphml", Some(12)));
    let unknown = GRAPHML.replace("target=\"planning\" directed", "target=\"nobody\" directed");
    let e = parse_with(&renamed, &[("g.graphml", &unknown)]).unwrap_err();
    assert!(e.message.contains("nobody"), "{}", e.message);
    let broken = GRAPHML.replace(
        "</node>\n    <node id=\"ngo-1\">",
        "</nod>\n    <node id=\"ngo-1\">",
    );
    let e = parse_with(&renamed, &[("g.graphml", &broken)]).unwrap_err();
    assert_eq!(e.file, "g.graphml");
    assert!(e.line.is_some());
    // A file cut short after some of its edges is refused, not read as a smaller network.
    let cut = &GRAPHML[..GRAPHML.rfind("<edge").unwrap()];
    let e = parse_with(&renamed, &[("g.graphml", cut)]).unwrap_err();
    assert!(e.message.contains("cut short"), "{}", e.message);
    let gexf = "name = \"g\"\n[network]\ntype = \"gexf\"\nfile = \"g.gexf\"\n[network.attributes]\nkind = \"type\"\n";
    let cut = &GEXF[..GEXF.rfind("<edge").unwrap()];
    let e = parse_with(gexf, &[("g.gexf", cut)]).unwrap_err();
    assert!(e.message.contains("</gexf>"), "{}", e.message);
}

/// The graph of `GRAPHML` as Gephi or NetworkX's `write_gexf` would write it, with a
/// declared default for `sector` and the label as the name.
const GEXF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph mode="static" defaultedgetype="undirected">
    <attributes class="node">
      <attribute id="0" title="type" type="string"/>
      <attribute id="1" title="sector" type="string"><default>health</default></attribute>
      <attribute id="2" title="power" type="double"/>
    </attributes>
    <nodes>
      <node id="health &amp; care" label="Health and care"><attvalues><attvalue for="0" value="agency"/><attvalue for="2" value="0.8"/></attvalues></node>
      <node id="ngo-1"><attvalues><attvalue for="0" value="ngo"/></attvalues></node>
      <node id="planning"><attvalues><attvalue for="0" value="agency"/><attvalue for="1" value="planning"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="0" source="health &amp; care" target="ngo-1" weight="0.7"/>
      <edge id="1" source="ngo-1" target="planning" type="directed" weight="0.2"/>
      <edge id="2" source="planning" target="health &amp; care"/>
    </edges>
  </graph>
</gexf>
"#;

#[test]
fn gexf_gives_the_same_forum_as_the_same_graph_in_graphml() {
    let src = |t: &str, f: &str| {
        format!(
            "name = \"g\"\n[network]\ntype = \"{t}\"\nfile = \"{f}\"\n[network.attributes]\nkind = \"type\"\n"
        )
    };
    let g = parse_with(&src("graphml", "g.graphml"), &[("g.graphml", GRAPHML)]).unwrap();
    let x = parse_with(&src("gexf", "g.gexf"), &[("g.gexf", GEXF)]).unwrap();
    let ids = |s: &crate::Scenario| -> Vec<(String, crate::Kind, u32)> {
        s.forum
            .actors
            .iter()
            .map(|a| (a.id.clone(), a.kind, a.sector))
            .collect()
    };
    assert_eq!(ids(&g), ids(&x));
    assert_eq!(g.forum.sectors, x.forum.sectors);
    assert_eq!(x.forum.actors[0].name, "Health and care");
    assert_eq!(x.forum.actors[1].name, "ngo-1");
    assert_eq!(x.forum.actors[0].fixed.as_ref().unwrap().power, Some(0.8));
    assert_eq!(g.forum.graph.n_relations(), x.forum.graph.n_relations());
    let (tg, tx) = (
        g.forum.fixed_trust.as_ref().unwrap(),
        x.forum.fixed_trust.as_ref().unwrap(),
    );
    for (a, b) in [(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2)] {
        let (sg, sx) = (
            g.forum.graph.slot_of(a, b).unwrap(),
            x.forum.graph.slot_of(a, b).unwrap(),
        );
        assert_eq!(tg[sg].to_bits(), tx[sx].to_bits(), "{a} -> {b}");
    }
}

#[test]
fn gexf_errors_name_file_and_line() {
    let src = "name = \"g\"\n[network]\ntype = \"gexf\"\nfile = \"g.gexf\"\n[network.attributes]\nkind = \"type\"\n";
    let bad = GEXF.replace("weight=\"0.2\"", "weight=\"heavy\"");
    let e = parse_with(src, &[("g.gexf", &bad)]).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("g.gexf", Some(16)));
    assert!(e.message.contains("heavy"), "{}", e.message);
    let bad = GEXF.replace("type=\"directed\"", "type=\"sideways\"");
    let e = parse_with(src, &[("g.gexf", &bad)]).unwrap_err();
    assert_eq!(e.line, Some(16));
    assert!(e.message.contains("sideways"), "{}", e.message);
    // Without the declared default, the first node has no sector.
    let bad = GEXF.replace("<default>health</default>", "");
    let e = parse_with(src, &[("g.gexf", &bad)]).unwrap_err();
    assert_eq!(e.line, Some(10));
    assert!(e.message.contains("`sector`"), "{}", e.message);
}

#[test]
fn graphml_key_defaults_fill_missing_data() {
    let with_default = GRAPHML
        .replace(
            r#"<key id="d1" for="node" attr.name="sector" attr.type="string"/>"#,
            r#"<key id="d1" for="node" attr.name="sector" attr.type="string"><default>planning</default></key>"#,
        )
        .replace(r#"<data key="d1">planning</data>"#, "");
    let src = "name = \"g\"\n[network]\ntype = \"graphml\"\nfile = \"g.graphml\"\n[network.attributes]\nkind = \"type\"\n";
    let s = parse_with(src, &[("g.graphml", &with_default)]).unwrap();
    assert_eq!(s.forum.sectors, ["health", "planning"]);
    assert_eq!(s.forum.actors[2].sector, 1);
}

#[test]
fn formula_cells_are_quoted_out_and_unquoted_in() {
    use super::{cell_in, cell_out};
    for text in [
        "=1+2", "+plus", "-minus", "@sum", "\tx", "plain", "", "'quoted", "a=b",
    ] {
        assert_eq!(cell_in(&cell_out(text)), text, "{text}");
    }
    assert_eq!(cell_out("=1+2"), "'=1+2");
    assert_eq!(cell_out("plain"), "plain");
}
