//! Criterion benchmarks: one round at growing sizes, full runs (a synthetic forum and the
//! bundled default scenario), a small sweep, graph building (drawn, and read from a
//! 100,000-node GraphML file).

use collabgov_benches::{
    default_scenario, graphml_scenario, graphml_text, sbm_scenario, small_sweep,
};
use collabgov_core::scenario::no_files;
use collabgov_sim::model::{Schedule, Scratch, State, play_round};
use collabgov_sim::{RunOptions, replicate_rng, run};
use collabgov_study::sweep::run_point;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use rayon::prelude::*;

fn one_round(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_round");
    group.sample_size(10);
    for n in [1_000u32, 10_000, 100_000, 1_000_000] {
        // The million-actor forum has mean degree 20 (ten million relations), as in
        // `collabgov bench`; one iteration per sample keeps it to seconds.
        let degree = if n >= 1_000_000 { 20.0 } else { 10.0 };
        if n >= 1_000_000 {
            group.sampling_mode(SamplingMode::Flat);
        }
        let s = sbm_scenario(n, degree, 1, 1);
        let schedule = Schedule::new(&s);
        let mut rng = replicate_rng(1, 0);
        let mut state = State::draw(&s.forum, s.issues, &mut rng, &mut replicate_rng(1, 1));
        let mut scratch = Scratch::new(&s.forum);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| play_round(&s.forum, &schedule, 1, &mut state, &mut scratch, &mut rng))
        });
    }
    group.finish();
}

fn full_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("full_run");
    group.sample_size(10);
    let s = sbm_scenario(1_000, 10.0, 200, 20);
    group.throughput(Throughput::Elements(1_000 * 200 * 20));
    group.bench_function("1000_actors_200_rounds_20_replicates", |b| {
        b.iter(|| run(&s, &RunOptions::default()))
    });
    let d = default_scenario();
    group.throughput(Throughput::Elements(
        d.forum.n_actors() as u64 * u64::from(d.rounds) * u64::from(d.replicates),
    ));
    group.bench_function("default_scenario", |b| {
        b.iter(|| run(&d, &RunOptions::default()))
    });
    group.finish();
}

fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    let plan = small_sweep();
    group.throughput(Throughput::Elements(plan.points.len() as u64));
    group.bench_function("grid_3x3_points_20_replicates_60_actors", |b| {
        b.iter(|| {
            (0..plan.points.len())
                .into_par_iter()
                .map(|i| run_point(&plan, i, &no_files).expect("valid point"))
                .collect::<Vec<String>>()
        })
    });
    group.finish();
}

fn graph_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph_build");
    group.sample_size(10);
    group.bench_function("sbm_100000_actors_degree_10", |b| {
        b.iter(|| sbm_scenario(100_000, 10.0, 1, 1))
    });
    // Reading a network file: a 100,000-node GraphML (one pass, whatever its size).
    let text = graphml_text(100_000);
    group.bench_function("graphml_100000_nodes", |b| {
        b.iter(|| graphml_scenario(&text))
    });
    group.finish();
}

criterion_group!(benches, one_round, full_run, sweep, graph_build);
criterion_main!(benches);
