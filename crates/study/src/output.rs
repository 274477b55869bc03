//! The run's tables, as written to CSV and read back: `rounds.csv` (tidy statistics per
//! round and metric), `replicates.csv`, `actors.csv`, `network.csv`, and with services
//! `activities.csv`. Services metrics appear only in a run with services, so a CG-1 run's
//! tables are CG-1's alone. Empty values (NaN,
//! or a replicate without consensus) are empty fields, which pandas, R and Polars read as
//! missing. Floats are written in Rust's shortest round-trip form, so reading a table back
//! gives the same numbers bit for bit.

use std::io::Write;

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use collabgov_core::Scenario;
use collabgov_core::scenario::{cell_in, cell_out};

use collabgov_sim::metrics::{Families, GroupMetric, Metric, N_METRICS, Record};
use collabgov_sim::model::groups::ALL_GROUP;
use collabgov_sim::model::services::{ACTIVITIES, Activities};
use collabgov_sim::run::RunResult;
use collabgov_sim::stats::Summary;

/// Error reading a table back.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A CSV-level problem.
    #[error("{file}: {source}")]
    Csv {
        /// File name.
        file: String,
        /// The CSV error.
        source: csv::Error,
    },
    /// A field that does not hold what it should.
    #[error("{file}, line {line}, column `{column}`: expected {expected}, found \"{found}\"")]
    Field {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
}

/// One row of `rounds.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundRow {
    /// Round (0 is the initial state).
    pub round: u32,
    /// Metric.
    pub metric: Metric,
    /// Statistics over replicates.
    pub summary: Summary,
}

/// One row of `rounds.csv` of the per-group series: a group metric of one group (a sector
/// or a kind) in one round.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    /// Round (0 is the initial state).
    pub round: u32,
    /// Group metric.
    pub metric: GroupMetric,
    /// The group: `sector:NAME`, `kind:agency` or `kind:non_state`.
    pub group: String,
    /// Statistics over replicates.
    pub summary: Summary,
}

/// A row of `rounds.csv` as read: the whole forum's, or a group's.
enum RoundsRow {
    Forum(RoundRow),
    Group(GroupRow),
}

/// One row of `replicates.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicateRow {
    /// Replicate index.
    pub replicate: u32,
    /// The network draw it ran on (0 for every replicate of a shared network).
    pub network_draw: u32,
    /// First round with consensus.
    pub consensus_round: Option<u32>,
    /// Final value of each metric.
    pub finals: Record,
}

/// One row of `actors.csv`: an actor's final state in one replicate.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorRow {
    /// Replicate index.
    pub replicate: u32,
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind name.
    pub kind: String,
    /// Sector name.
    pub sector: String,
    /// With levels of government: its unit (`units.csv`'s `unit`).
    pub unit: Option<u32>,
    /// Round the actor joined.
    pub joins_at: u32,
    /// Power.
    pub power: f64,
    /// Capacity.
    pub capacity: f64,
    /// Culture.
    pub culture: f64,
    /// Commitment at the end.
    pub commitment: f64,
    /// Mean of its trust in its neighbours at the end (empty without neighbours).
    pub trust_out: f64,
    /// View at the end, one value per issue.
    pub view: Vec<f64>,
    /// With services, for an agency: its activities given or received and its throughput
    /// at the end.
    pub services: Option<(Activities, f64)>,
}

/// One row of `network.csv`: a relation of replicate 0, with its trusts at round 0 and at
/// the end.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationRow {
    /// Source actor id.
    pub source: String,
    /// Target actor id.
    pub target: String,
    /// Round from which the relation exists.
    pub from: u32,
    /// Last round it exists (empty: for ever).
    pub until: Option<u32>,
    /// Source's trust in target when the relation appears (round 0, or for a relation an
    /// intervention adds, its first round).
    pub trust_st_initial: f64,
    /// Target's trust in source when the relation appears.
    pub trust_ts_initial: f64,
    /// Source's trust in target at the end.
    pub trust_st_final: f64,
    /// Target's trust in source at the end.
    pub trust_ts_final: f64,
}

/// One row of `activities.csv`: an activity's count in one round over replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityRow {
    /// Round.
    pub round: u32,
    /// Activity name (one of [`ACTIVITIES`]).
    pub activity: String,
    /// Statistics over replicates.
    pub summary: Summary,
}

/// One replicate's metrics at every round (`series.csv`), kept when a run asks for them.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicateSeries {
    /// Replicate index.
    pub replicate: u32,
    /// The network draw it ran on.
    pub network_draw: u32,
    /// Its record of every recorded metric, round 0 first.
    pub records: Vec<Record>,
}

/// Every table of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunTables {
    /// Issues D.
    pub issues: usize,
    /// Whether the run had services (its tables hold the services metrics and
    /// `activities.csv`).
    pub services: bool,
    /// Whether the run had levels of government (its tables hold the levels metrics and
    /// `units.csv`).
    pub levels: bool,
    /// `units.csv` (empty without levels).
    pub units: Vec<UnitSummary>,
    /// `rounds.csv`: the whole forum's rows (group `all`).
    pub rounds: Vec<RoundRow>,
    /// `rounds.csv`: the per-group series' rows, rounds ascending (empty in files from
    /// before the series).
    pub groups: Vec<GroupRow>,
    /// `replicates.csv`.
    pub replicates: Vec<ReplicateRow>,
    /// `actors.csv`.
    pub actors: Vec<ActorRow>,
    /// `network.csv`.
    pub network: Vec<RelationRow>,
    /// `activities.csv` (empty without services).
    pub activities: Vec<ActivityRow>,
    /// Every replicate's per-round metrics (`series.csv`); empty unless the run asked for
    /// them (`RunOptions::replicate_series`).
    pub series: Vec<ReplicateSeries>,
}

use collabgov_sim::stats::push_number;

mod units;
use units::unit_summaries;
pub use units::{UNIT_VALUES, UnitSummary, read_units, units_header, write_units};

/// The rows of `replicates.csv` of a finished run.
fn replicate_rows(result: &RunResult) -> Vec<ReplicateRow> {
    result
        .replicates
        .iter()
        .map(|r| ReplicateRow {
            replicate: r.replicate,
            network_draw: r.draw,
            consensus_round: r.consensus_round,
            finals: r.records.last().copied().unwrap_or([f64::NAN; N_METRICS]),
        })
        .collect()
}

impl RunTables {
    /// The tables of a finished run with only `replicates.csv`'s rows (what final summaries
    /// and paired differences read), for a caller that needs no other table.
    pub fn finals_of(scenario: &Scenario, result: &RunResult) -> RunTables {
        RunTables {
            issues: scenario.issues,
            services: result.services,
            levels: result.levels,
            units: Vec::new(),
            rounds: Vec::new(),
            groups: Vec::new(),
            replicates: replicate_rows(result),
            actors: Vec::new(),
            network: Vec::new(),
            activities: Vec::new(),
            series: Vec::new(),
        }
    }

    /// Builds the tables of a finished run.
    pub fn from_run(scenario: &Scenario, result: &RunResult) -> RunTables {
        let forum = &scenario.forum;
        let graph = &forum.graph;
        let rounds = result
            .round_stats()
            .into_iter()
            .map(|s| RoundRow {
                round: s.round,
                metric: s.metric,
                summary: s.summary,
            })
            .collect();
        let groups = result
            .group_stats()
            .into_iter()
            .map(|s| GroupRow {
                round: s.round,
                metric: s.metric,
                group: result.groups[s.group].clone(),
                summary: s.summary,
            })
            .collect();
        let replicates = replicate_rows(result);
        let mut actors = Vec::new();
        for rep in result
            .replicates
            .iter()
            .filter(|r| !r.state.power.is_empty())
        {
            let s = &rep.state;
            let mut agency = rep.agencies.as_ref().map(|f| {
                f.actors
                    .iter()
                    .zip(f.activities.iter().zip(&f.throughput))
                    .peekable()
            });
            for (i, a) in forum.actors.iter().enumerate() {
                let services = agency.as_mut().and_then(|it| {
                    it.next_if(|(actor, _)| **actor as usize == i)
                        .map(|(_, (acts, &theta))| (*acts, theta))
                });
                let trust_out = rep.trust_out.get(i).copied().unwrap_or(f64::NAN);
                actors.push(ActorRow {
                    replicate: rep.replicate,
                    id: a.id.clone(),
                    name: a.name.clone(),
                    kind: a.kind.name().to_string(),
                    sector: forum.sectors[a.sector as usize].clone(),
                    unit: forum.levels.as_ref().map(|_| a.unit),
                    joins_at: a.joins_at,
                    power: s.power[i],
                    capacity: s.capacity[i],
                    culture: s.culture[i],
                    commitment: s.commitment[i],
                    trust_out,
                    view: s.views[i * s.issues..(i + 1) * s.issues].to_vec(),
                    services,
                });
            }
        }
        let mut network = Vec::new();
        if let Some(rep0) = result.replicates.first()
            && let Some(initial) = &rep0.initial_trust
        {
            for (slot, i, j) in graph.relations() {
                let back = graph.reverse(slot);
                let w = forum
                    .windows
                    .as_ref()
                    .map_or(collabgov_core::Window::ALWAYS, |w| w[slot]);
                // A relation an intervention adds with a trust of its own starts there.
                let at_creation = |s: usize| match w.trust {
                    Some(t) if w.from > 0 => t,
                    _ => initial[s],
                };
                network.push(RelationRow {
                    source: forum.actors[i].id.clone(),
                    target: forum.actors[j].id.clone(),
                    from: w.from,
                    until: (w.until != u32::MAX).then_some(w.until),
                    trust_st_initial: at_creation(slot),
                    trust_ts_initial: at_creation(back),
                    trust_st_final: rep0.state.trust[slot],
                    trust_ts_final: rep0.state.trust[back],
                });
            }
        }
        let activities = result
            .activity_stats()
            .into_iter()
            .map(|(round, activity, summary)| ActivityRow {
                round,
                activity: activity.to_string(),
                summary,
            })
            .collect();
        RunTables {
            issues: scenario.issues,
            services: result.services,
            levels: result.levels,
            units: unit_summaries(result),
            rounds,
            groups,
            replicates,
            actors,
            network,
            activities,
            series: Vec::new(),
        }
    }

    /// The families of metrics these tables hold.
    pub fn families(&self) -> Families {
        Families {
            services: self.services,
            levels: self.levels,
        }
    }

    /// The metrics these tables hold, in output order.
    pub fn metrics(&self) -> Vec<Metric> {
        Metric::recorded(self.families()).collect()
    }

    /// Writes `rounds.csv`: each round's rows of the whole forum (group `all`), then its
    /// rows of the per-group series.
    pub fn write_rounds(&self, w: &mut dyn Write) -> std::io::Result<()> {
        fn forum(r: &RoundRow) -> (u32, &str, &str, &Summary) {
            (r.round, r.metric.name(), ALL_GROUP, &r.summary)
        }
        fn group(g: &GroupRow) -> (u32, &str, &str, &Summary) {
            (g.round, g.metric.name(), &g.group, &g.summary)
        }
        let mut groups = self.groups.iter().peekable();
        let mut rows = Vec::with_capacity(self.rounds.len() + self.groups.len());
        for round in self.rounds.chunk_by(|a, b| a.round == b.round) {
            rows.extend(round.iter().map(forum));
            let t = round[0].round;
            rows.extend(std::iter::from_fn(|| groups.next_if(|g| g.round <= t)).map(group));
        }
        rows.extend(groups.map(group));
        write_summaries(w, "metric", Some("group"), rows.into_iter())
    }

    /// The per-round records of every replicate of `result`, for `series.csv`, moved out
    /// of the finished run (no copy: the run's other tables are made before).
    pub fn series_of(result: RunResult) -> Vec<ReplicateSeries> {
        result
            .replicates
            .into_iter()
            .map(|r| ReplicateSeries {
                replicate: r.replicate,
                network_draw: r.draw,
                records: r.records,
            })
            .collect()
    }

    /// Writes `series.csv`: one row per replicate and round (round 0 is the start), its
    /// network draw, and every recorded metric's value (empty where it has none), as
    /// Mesa's data collector gives step by step; replicates in order.
    pub fn write_series(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        let metrics = self.metrics();
        let mut row = Row::default();
        for name in ["replicate", "network_draw", "round"]
            .into_iter()
            .chain(metrics.iter().map(|m| m.name()))
        {
            row.text(name);
        }
        row.write(&mut out)?;
        for s in &self.series {
            for (round, record) in s.records.iter().enumerate() {
                row.clear();
                row.int(s.replicate).int(s.network_draw).int(round);
                for m in &metrics {
                    row.num(record[m.index()]);
                }
                row.write(&mut out)?;
            }
        }
        out.flush()
    }

    /// Writes `activities.csv` (same columns as `rounds.csv`, `activity` for `metric`).
    pub fn write_activities(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_summaries(
            w,
            "activity",
            None,
            self.activities
                .iter()
                .map(|r| (r.round, r.activity.as_str(), "", &r.summary)),
        )
    }

    /// Writes `replicates.csv`.
    pub fn write_replicates(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        let mut header = vec![
            "replicate".to_string(),
            "network_draw".to_string(),
            "consensus_round".to_string(),
        ];
        let metrics = self.metrics();
        header.extend(metrics.iter().map(|m| m.name().to_string()));
        out.write_record(&header)?;
        let mut row = Row::default();
        for r in &self.replicates {
            row.clear();
            row.int(r.replicate).int(r.network_draw);
            match r.consensus_round {
                Some(c) => row.int(c),
                None => row.text(""),
            };
            for m in &metrics {
                row.num(r.finals[m.index()]);
            }
            row.write(&mut out)?;
        }
        out.flush()
    }

    /// Writes `actors.csv`. Text fields are quoted where needed.
    pub fn write_actors(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        let mut header: Vec<String> = [
            "replicate",
            "id",
            "name",
            "kind",
            "sector",
            "joins_at",
            "power",
            "capacity",
            "culture",
            "commitment",
            "trust_out",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if self.levels {
            header.insert(5, "unit".to_string());
        }
        header.extend((1..=self.issues).map(|d| format!("view_{d}")));
        if self.services {
            header.extend(ACTIVITIES.iter().map(|a| a.to_string()));
            header.push("throughput".to_string());
        }
        out.write_record(&header)?;
        let mut row = Row::default();
        for a in &self.actors {
            row.clear();
            row.int(a.replicate);
            for text in [&a.id, &a.name, &a.kind, &a.sector] {
                row.text(&cell_out(text));
            }
            if self.levels {
                match a.unit {
                    Some(u) => row.int(u),
                    None => row.text(""),
                };
            }
            row.int(a.joins_at);
            for v in [a.power, a.capacity, a.culture, a.commitment, a.trust_out] {
                row.num(v);
            }
            for &v in &a.view {
                row.num(v);
            }
            if self.services {
                match &a.services {
                    Some((acts, theta)) => {
                        for &c in acts {
                            row.int(c);
                        }
                        row.num(*theta);
                    }
                    None => {
                        for _ in 0..=ACTIVITIES.len() {
                            row.text("");
                        }
                    }
                }
            }
            row.write(&mut out)?;
        }
        out.flush()
    }

    /// Writes `network.csv`.
    pub fn write_network(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "source",
            "target",
            "from",
            "until",
            "trust_st_initial",
            "trust_ts_initial",
            "trust_st_final",
            "trust_ts_final",
        ])?;
        let mut row = Row::default();
        for r in &self.network {
            row.clear();
            row.text(&cell_out(&r.source))
                .text(&cell_out(&r.target))
                .int(r.from);
            match r.until {
                Some(u) => row.int(u),
                None => row.text(""),
            };
            for v in [
                r.trust_st_initial,
                r.trust_ts_initial,
                r.trust_st_final,
                r.trust_ts_final,
            ] {
                row.num(v);
            }
            row.write(&mut out)?;
        }
        out.flush()
    }

    /// Writes `network.graphml`: replicate 0's actors (their final state as node
    /// attributes named `final_...`, which an import ignores) and relations (both trusts
    /// at round 0 and at the end, and when the relation exists), for Gephi, NetworkX and
    /// igraph. Nothing when the network table is
    /// empty (skipped for very large forums). Empty values are left out.
    pub fn write_graphml(&self, w: &mut dyn Write) -> std::io::Result<()> {
        // The final state under names a graph file's import does not read (`final_`), so a
        // run read back from its own `network.graphml` draws its initial values as the run
        // did (the same numbers), instead of starting every replicate at replicate 0's end.
        let node_keys: Vec<(String, &str)> = [
            ("name", "string"),
            ("kind", "string"),
            ("sector", "string"),
            ("joins_at", "int"),
            ("final_power", "double"),
            ("final_capacity", "double"),
            ("final_culture", "double"),
            ("final_commitment", "double"),
            ("final_trust_out", "double"),
        ]
        .iter()
        .map(|(k, t)| (k.to_string(), *t))
        .chain((1..=self.issues).map(|d| (format!("final_view_{d}"), "double")))
        .collect();
        let edge_keys = [
            ("source_id", "string"),
            ("target_id", "string"),
            ("from", "int"),
            ("until", "int"),
            ("trust_st_initial", "double"),
            ("trust_ts_initial", "double"),
            ("trust_st_final", "double"),
            ("trust_ts_final", "double"),
        ];
        // quick-xml writes many small pieces: buffered here, where the writer's type is
        // known, they are copies instead of calls through `dyn Write`.
        let mut x =
            XmlWriter::new_with_indent(std::io::BufWriter::with_capacity(1 << 16, w), b' ', 2);
        x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let root = x.create_element("graphml").with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ]);
        root.write_inner_content(|x| {
            let keys = node_keys.iter().map(|(k, t)| ("node", k.as_str(), *t));
            for (of, k, t) in keys.chain(edge_keys.iter().map(|&(k, t)| ("edge", k, t))) {
                x.create_element("key")
                    .with_attributes([("id", k), ("for", of), ("attr.name", k), ("attr.type", t)])
                    .write_empty()?;
            }
            let graph = x
                .create_element("graph")
                .with_attributes([("id", "replicate-0"), ("edgedefault", "undirected")]);
            // Each key's `<data key="KEY">` built once, not once per value.
            let tag = |k: &str| BytesStart::from_content(format!("data key=\"{k}\""), 4);
            let node_tags: Vec<BytesStart<'static>> =
                node_keys.iter().map(|(k, _)| tag(k)).collect();
            let edge_tags: Vec<BytesStart<'static>> =
                edge_keys.iter().map(|(k, _)| tag(k)).collect();
            graph.write_inner_content(|x| {
                for a in self.actors.iter().filter(|a| a.replicate == 0) {
                    graphml_node(x, a, &node_tags)?;
                }
                for r in &self.network {
                    graphml_edge(x, r, &edge_tags)?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
        let mut w = x.into_inner();
        writeln!(w)?;
        w.flush()
    }

    /// Reads the tables back from the text of the files (`network`, `actors` and
    /// `activities` may be empty strings when those files are absent).
    pub fn read(
        rounds: &str,
        replicates: &str,
        actors: &str,
        network: &str,
        activities: &str,
    ) -> Result<RunTables, TableError> {
        let (round_rows, round_lines, group_rows) = read_rounds(rounds)?;
        let families = Families {
            services: round_rows.iter().any(|r| r.metric.is_service()),
            levels: round_rows.iter().any(|r| r.metric.is_level()),
        };
        let replicate_rows = read_replicates(replicates, families)?;
        let actor_rows = read_actors(actors)?;
        let issues = actor_rows.first().map_or(0, |a| a.view.len());
        check_rounds(&round_rows, &round_lines, &group_rows, &replicate_rows)?;
        Ok(RunTables {
            issues,
            services: families.services,
            levels: families.levels,
            units: Vec::new(),
            rounds: round_rows,
            groups: group_rows.into_iter().map(|(_, g)| g).collect(),
            replicates: replicate_rows,
            actors: actor_rows,
            network: read_network(network)?,
            activities: read_activities(activities)?,
            series: Vec::new(),
        })
    }

    /// The per-round series of one metric, rounds ascending.
    pub fn series(&self, metric: Metric) -> Vec<(u32, Summary)> {
        self.rounds
            .iter()
            .filter(|r| r.metric == metric)
            .map(|r| (r.round, r.summary))
            .collect()
    }

    /// The groups of the per-group series, in the order of the file.
    pub fn group_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for row in &self.groups {
            if !names.contains(&row.group.as_str()) {
                names.push(&row.group);
            }
        }
        names
    }

    /// The per-round series of one group metric of one group, rounds ascending.
    pub fn group_series(&self, metric: GroupMetric, group: &str) -> Vec<(u32, Summary)> {
        self.groups
            .iter()
            .filter(|r| r.metric == metric && r.group == group)
            .map(|r| (r.round, r.summary))
            .collect()
    }
}

/// One actor of `network.graphml`: its final state, empty values left out. `tags` are the
/// node keys' `<data>` tags in `write_graphml`'s order (name, kind, sector, joins_at, the
/// five numbers, the views).
fn graphml_node<W: Write>(
    x: &mut XmlWriter<W>,
    a: &ActorRow,
    tags: &[BytesStart<'_>],
) -> std::io::Result<()> {
    let node = x
        .create_element("node")
        .with_attribute(("id", xml_text(&a.id).as_ref()));
    node.write_inner_content(|x| {
        for (tag, v) in tags.iter().zip([&a.name, &a.kind, &a.sector]) {
            graphml_data(x, tag, v, true)?;
        }
        graphml_data(x, &tags[3], itoa::Buffer::new().format(a.joins_at), false)?;
        let numbers = [a.power, a.capacity, a.culture, a.commitment, a.trust_out];
        let values = numbers.iter().chain(&a.view);
        let mut cell = String::new();
        for (tag, &v) in tags[4..].iter().zip(values) {
            if !v.is_nan() {
                cell.clear();
                push_number(&mut cell, v);
                graphml_data(x, tag, &cell, false)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// One relation of `network.graphml`: its ends, when it exists, and both trusts at round 0
/// and at the end. `tags` are the edge keys' `<data>` tags in `write_graphml`'s order.
fn graphml_edge<W: Write>(
    x: &mut XmlWriter<W>,
    r: &RelationRow,
    tags: &[BytesStart<'_>],
) -> std::io::Result<()> {
    let (source, target) = (xml_text(&r.source), xml_text(&r.target));
    let edge = x
        .create_element("edge")
        .with_attributes([("source", source.as_ref()), ("target", target.as_ref())]);
    edge.write_inner_content(|x| {
        // The trusts' direction (`st`: source's trust in target) survives a reader that
        // stores an undirected edge either way round.
        graphml_data(x, &tags[0], &r.source, true)?;
        graphml_data(x, &tags[1], &r.target, true)?;
        graphml_data(x, &tags[2], itoa::Buffer::new().format(r.from), false)?;
        if let Some(until) = r.until {
            graphml_data(x, &tags[3], itoa::Buffer::new().format(until), false)?;
        }
        let trusts = [
            r.trust_st_initial,
            r.trust_ts_initial,
            r.trust_st_final,
            r.trust_ts_final,
        ];
        let mut cell = String::new();
        for (tag, v) in tags[4..].iter().zip(trusts) {
            cell.clear();
            push_number(&mut cell, v);
            graphml_data(x, tag, &cell, false)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `<data key="KEY">VALUE</data>` with `tag` the start tag: a `text` value escaped by
/// quick-xml, a number written as it is.
fn graphml_data<W: Write>(
    x: &mut XmlWriter<W>,
    tag: &BytesStart<'_>,
    value: &str,
    text: bool,
) -> std::io::Result<()> {
    x.write_event(Event::Start(tag.borrow()))?;
    if text {
        x.write_event(Event::Text(BytesText::new(&xml_text(value))))?;
    } else {
        x.write_event(Event::Text(BytesText::from_escaped(value)))?;
    }
    x.write_event(Event::End(BytesEnd::new("data")))
}

/// `text` without the control characters XML 1.0 does not allow (tab, line feed and
/// carriage return stay).
fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(bad) {
        text.chars().filter(|&c| !bad(c)).collect::<String>().into()
    } else {
        text.into()
    }
}

/// `text` escaped for XML and HTML (`&`, `<`, `>`, both quotes), without the control
/// characters XML 1.0 does not allow.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes tidy per-round statistics (`rounds.csv`, `activities.csv`): round, the row's
/// name under `name_column`, its group under `group_column` when there is one, mean, sd,
/// q025, q50, q975, n.
/// One table row's cells kept in one buffer that every row reuses, so that writing a
/// number or an integer allocates nothing (the tables hold hundreds of thousands of them).
#[derive(Default)]
struct Row {
    text: String,
    ends: Vec<usize>,
}

impl Row {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn end(&mut self) -> &mut Self {
        self.ends.push(self.text.len());
        self
    }

    fn num(&mut self, v: f64) -> &mut Self {
        push_number(&mut self.text, v);
        self.end()
    }

    fn int(&mut self, v: impl itoa::Integer) -> &mut Self {
        self.text.push_str(itoa::Buffer::new().format(v));
        self.end()
    }

    fn text(&mut self, v: &str) -> &mut Self {
        self.text.push_str(v);
        self.end()
    }

    fn write<W: Write>(&self, out: &mut csv::Writer<W>) -> csv::Result<()> {
        let mut start = 0;
        for &end in &self.ends {
            out.write_field(&self.text[start..end])?;
            start = end;
        }
        out.write_record(None::<&[u8]>)
    }
}

fn write_summaries<'a>(
    w: &mut dyn Write,
    name_column: &str,
    group_column: Option<&str>,
    rows: impl Iterator<Item = (u32, &'a str, &'a str, &'a Summary)>,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let stats = ["mean", "sd", "q025", "q50", "q975", "n"];
    for column in [Some("round"), Some(name_column), group_column]
        .into_iter()
        .flatten()
        .chain(stats)
    {
        out.write_field(column)?;
    }
    out.write_record(None::<&[u8]>)?;
    let mut row = Row::default();
    for (round, name, group, s) in rows {
        row.clear();
        row.int(round).text(name);
        if group_column.is_some() {
            row.text(group);
        }
        for value in [s.mean, s.sd, s.q025, s.q50, s.q975] {
            row.num(value);
        }
        row.int(s.n).write(&mut out)?;
    }
    out.flush()
}

struct Fields<'a> {
    file: &'a str,
    line: u64,
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Fields<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        self.headers
            .iter()
            .position(|h| h == column)
            .and_then(|c| self.record.get(c))
    }
    fn bad(&self, column: &str, expected: &str, found: &str) -> TableError {
        TableError::Field {
            file: self.file.to_string(),
            line: self.line,
            column: column.to_string(),
            expected: expected.to_string(),
            found: collabgov_core::scenario::error::excerpt(found),
        }
    }
    fn text(&self, column: &str) -> Result<&str, TableError> {
        self.get(column)
            .ok_or_else(|| self.bad(column, "a column of that name", "no such column"))
    }
    fn float(&self, column: &str) -> Result<f64, TableError> {
        let v = self.text(column)?;
        if v.is_empty() {
            return Ok(f64::NAN);
        }
        v.parse()
            .map_err(|_| self.bad(column, "a number or an empty field", v))
    }
    fn int<T: std::str::FromStr>(&self, column: &str) -> Result<T, TableError> {
        let v = self.text(column)?;
        v.parse().map_err(|_| self.bad(column, "a whole number", v))
    }
    fn summary(&self) -> Result<Summary, TableError> {
        Ok(Summary {
            n: self.int::<usize>("n")?,
            mean: self.float("mean")?,
            sd: self.float("sd")?,
            q025: self.float("q025")?,
            q50: self.float("q50")?,
            q975: self.float("q975")?,
        })
    }
    fn opt_int(&self, column: &str) -> Result<Option<u32>, TableError> {
        let v = self.text(column)?;
        if v.is_empty() {
            Ok(None)
        } else {
            self.int(column).map(Some)
        }
    }
}

/// A forum's rows of `rounds.csv`, their lines, and the groups' rows with theirs.
type RoundsRead = (Vec<RoundRow>, Vec<u64>, Vec<(u64, GroupRow)>);

/// Reads `rounds.csv`: the forum's rows apart from the groups'.
fn read_rounds(rounds: &str) -> Result<RoundsRead, TableError> {
    // Files from before the per-group series have no `group` column: every row is the
    // whole forum's.
    let mixed = read_rows("rounds.csv", rounds, |f| {
        let metric = f.text("metric")?;
        let (round, summary) = (f.int("round")?, f.summary()?);
        let row = match f.get("group").filter(|&g| g != ALL_GROUP) {
            None => RoundsRow::Forum(RoundRow {
                round,
                metric: Metric::from_name(metric)
                    .ok_or_else(|| f.bad("metric", "a metric name", metric))?,
                summary,
            }),
            Some(group) => RoundsRow::Group(GroupRow {
                round,
                metric: GroupMetric::from_name(metric).ok_or_else(|| {
                    f.bad(
                        "metric",
                        "trust, commitment or participation (a group's row)",
                        metric,
                    )
                })?,
                group: group.to_string(),
                summary,
            }),
        };
        Ok((f.line, row))
    })?;
    let (mut round_rows, mut round_lines, mut group_rows) = (Vec::new(), Vec::new(), Vec::new());
    for (line, row) in mixed {
        match row {
            RoundsRow::Forum(r) => {
                round_rows.push(r);
                round_lines.push(line);
            }
            RoundsRow::Group(g) => group_rows.push((line, g)),
        }
    }
    Ok((round_rows, round_lines, group_rows))
}

/// Reads `replicates.csv` (the service metrics' columns when the run had services).
fn read_replicates(replicates: &str, families: Families) -> Result<Vec<ReplicateRow>, TableError> {
    read_rows("replicates.csv", replicates, |f| {
        let mut finals = [f64::NAN; N_METRICS];
        for m in Metric::recorded(families) {
            // Files from before `consensus_now` name its column `consensus`.
            let column = match m {
                Metric::Consensus if f.get(m.name()).is_none() => "consensus",
                _ => m.name(),
            };
            finals[m.index()] = f.float(column)?;
        }
        Ok(ReplicateRow {
            replicate: f.int("replicate")?,
            // Runs from before network draws shared one network.
            network_draw: match f.get("network_draw") {
                Some(_) => f.int("network_draw")?,
                None => 0,
            },
            consensus_round: f.opt_int("consensus_round")?,
            finals,
        })
    })
}

/// Reads `actors.csv`.
fn read_actors(actors: &str) -> Result<Vec<ActorRow>, TableError> {
    read_rows("actors.csv", actors, |f| {
        let mut view = Vec::new();
        while let Some(v) = f.get(&format!("view_{}", view.len() + 1)) {
            view.push(if v.is_empty() {
                f64::NAN
            } else {
                v.parse().map_err(|_| f.bad("view", "a number", v))?
            });
        }
        Ok(ActorRow {
            replicate: f.int("replicate")?,
            id: cell_in(f.text("id")?).to_string(),
            name: cell_in(f.text("name")?).to_string(),
            kind: cell_in(f.text("kind")?).to_string(),
            sector: cell_in(f.text("sector")?).to_string(),
            unit: match f.get("unit") {
                Some(u) => Some(u.parse().map_err(|_| f.bad("unit", "a unit number", u))?),
                None => None,
            },
            joins_at: f.int("joins_at")?,
            power: f.float("power")?,
            capacity: f.float("capacity")?,
            culture: f.float("culture")?,
            commitment: f.float("commitment")?,
            trust_out: f.float("trust_out")?,
            view,
            services: None,
        })
    })
}

/// Reads `activities.csv`.
fn read_activities(activities: &str) -> Result<Vec<ActivityRow>, TableError> {
    read_rows("activities.csv", activities, |f| {
        let activity = f.text("activity")?;
        if !ACTIVITIES.contains(&activity) {
            return Err(f.bad("activity", "an activity name", activity));
        }
        Ok(ActivityRow {
            round: f.int("round")?,
            activity: activity.to_string(),
            summary: f.summary()?,
        })
    })
}

/// Reads `network.csv`.
fn read_network(network: &str) -> Result<Vec<RelationRow>, TableError> {
    read_rows("network.csv", network, |f| {
        Ok(RelationRow {
            source: cell_in(f.text("source")?).to_string(),
            target: cell_in(f.text("target")?).to_string(),
            from: f.int("from")?,
            until: f.opt_int("until")?,
            trust_st_initial: f.float("trust_st_initial")?,
            trust_ts_initial: f.float("trust_ts_initial")?,
            trust_st_final: f.float("trust_st_final")?,
            trust_ts_final: f.float("trust_ts_final")?,
        })
    })
}

/// Checks the round numbers, which size the charts' arrays: the forum's rounds in order
/// from 0, and every other round one the file holds.
fn check_rounds(
    round_rows: &[RoundRow],
    round_lines: &[u64],
    group_rows: &[(u64, GroupRow)],
    replicate_rows: &[ReplicateRow],
) -> Result<(), TableError> {
    // Round numbers size the charts' arrays: each must be a round the file holds, so a
    // corrupt or hostile table cannot make a reader allocate without bound.
    let last_round = round_rows.last().map_or(0, |r| r.round);
    let bad_round = |file: &str, line: usize, column: &str, found: u32| TableError::Field {
        file: file.to_string(),
        line: line as u64 + 2,
        column: column.to_string(),
        expected: format!("a round from 0 to {last_round} (the last round of rounds.csv)"),
        found: found.to_string(),
    };
    for (i, r) in round_rows.iter().enumerate() {
        let previous = if i == 0 { 0 } else { round_rows[i - 1].round };
        if r.round < previous || r.round > previous + 1 {
            return Err(TableError::Field {
                file: "rounds.csv".into(),
                line: round_lines[i],
                column: "round".into(),
                expected: format!(
                    "rounds in order from 0, each {previous} or {}",
                    previous + 1
                ),
                found: r.round.to_string(),
            });
        }
    }
    for (i, r) in replicate_rows.iter().enumerate() {
        if let Some(c) = r.consensus_round.filter(|&c| c > last_round) {
            return Err(bad_round("replicates.csv", i, "consensus_round", c));
        }
    }
    if let Some((line, g)) = group_rows.iter().find(|(_, g)| g.round > last_round) {
        return Err(TableError::Field {
            file: "rounds.csv".into(),
            line: *line,
            column: "round".into(),
            expected: format!("a round from 0 to {last_round} (the last round of group `all`)"),
            found: g.round.to_string(),
        });
    }
    Ok(())
}

fn read_rows<T>(
    file: &str,
    text: &str,
    mut row: impl FnMut(&Fields<'_>) -> Result<T, TableError>,
) -> Result<Vec<T>, TableError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| TableError::Csv {
            file: file.to_string(),
            source: e,
        })?
        .clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Csv {
            file: file.to_string(),
            source: e,
        })?;
        let line = record.position().map_or(0, |p| p.line());
        out.push(row(&Fields {
            file,
            line,
            headers: &headers,
            record: &record,
        })?);
    }
    Ok(out)
}
