//! The bundled scenarios, compiled in: every front end (the CLI, the Python package) lists
//! and loads the same ones by name.

/// Bundled scenarios: name and TOML text, compiled in.
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../../../scenarios/default.toml")),
    (
        "siloed-government",
        include_str!("../../../scenarios/siloed-government.toml"),
    ),
    (
        "whole-of-government",
        include_str!("../../../scenarios/whole-of-government.toml"),
    ),
    (
        "conflict-prehistory",
        include_str!("../../../scenarios/conflict-prehistory.toml"),
    ),
    (
        "conflict-prehistory-facilitated",
        include_str!("../../../scenarios/conflict-prehistory-facilitated.toml"),
    ),
    (
        "power-imbalance",
        include_str!("../../../scenarios/power-imbalance.toml"),
    ),
    (
        "power-imbalance-facilitated",
        include_str!("../../../scenarios/power-imbalance-facilitated.toml"),
    ),
    (
        "inclusive-forum-low",
        include_str!("../../../scenarios/inclusive-forum-low.toml"),
    ),
    (
        "inclusive-forum-high",
        include_str!("../../../scenarios/inclusive-forum-high.toml"),
    ),
    (
        "unclear-legal-basis",
        include_str!("../../../scenarios/unclear-legal-basis.toml"),
    ),
    (
        "services-siloed",
        include_str!("../../../scenarios/services-siloed.toml"),
    ),
    (
        "services-one-door",
        include_str!("../../../scenarios/services-one-door.toml"),
    ),
    (
        "services-one-door-task-force",
        include_str!("../../../scenarios/services-one-door-task-force.toml"),
    ),
    (
        "services-electronic",
        include_str!("../../../scenarios/services-electronic.toml"),
    ),
    (
        "assistance-unclear-law",
        include_str!("../../../scenarios/assistance-unclear-law.toml"),
    ),
    (
        "assistance-mutual-aid",
        include_str!("../../../scenarios/assistance-mutual-aid.toml"),
    ),
    (
        "capacity-gap",
        include_str!("../../../scenarios/capacity-gap.toml"),
    ),
    (
        "levels-devolved",
        include_str!("../../../scenarios/levels-devolved.toml"),
    ),
    (
        "levels-recentralised",
        include_str!("../../../scenarios/levels-recentralised.toml"),
    ),
    (
        "levels-rebalanced",
        include_str!("../../../scenarios/levels-rebalanced.toml"),
    ),
    (
        "indonesia",
        include_str!("../../../scenarios/indonesia.toml"),
    ),
];

/// Each bundled scenario's description in Bahasa Indonesia (the terms of the course notes
/// and `GLOSSARY-id.md`), for the classroom page; sweeps are not listed there.
pub const DESCRIPTIONS_ID: &[(&str, &str)] = &[
    (
        "default",
        "Forum daerah tentang pencemaran daerah aliran sungai: empat sektor, lembaga publik dan aktor non-negara, siloisasi sedang.",
    ),
    (
        "siloed-government",
        "Empat sektor dengan cara pandangnya sendiri dan siloisasi yang kuat: kepercayaan antarsektor terkikis, konsensus jarang tercapai.",
    ),
    (
        "whole-of-government",
        "Awal yang tersilo, lalu lembaga koordinasi khusus, gugus tugas lintas sektor dan reformasi yang menurunkan siloisasi mulai putaran 30: forum pulih.",
    ),
    (
        "conflict-prehistory",
        "Kepercayaan antarsektor rendah karena riwayat konflik, kepemimpinan fasilitatif lemah: kepercayaan tetap rendah.",
    ),
    (
        "conflict-prehistory-facilitated",
        "Riwayat konflik yang sama dengan kepemimpinan fasilitatif yang kuat: kepercayaan dibangun kembali.",
    ),
    (
        "power-imbalance",
        "Lembaga publik yang kuat, aktor non-negara yang lemah, kepemimpinan lemah: ketimpangan kekuasaan merusak dialog.",
    ),
    (
        "power-imbalance-facilitated",
        "Ketimpangan kekuasaan yang sama, diimbangi oleh kepemimpinan fasilitatif yang kuat.",
    ),
    (
        "inclusive-forum-low",
        "Forum yang jarang menyertakan aktor non-negara: komitmen mereka memudar, konsensus jarang tercapai.",
    ),
    (
        "inclusive-forum-high",
        "Forum yang sama dengan setiap aktor non-negara ikut serta di setiap putaran.",
    ),
    (
        "unclear-legal-basis",
        "Dasar hukum yang tidak jelas membatasi komitmen: kepercayaan tumbuh, tetapi proses terhenti sebelum konsensus.",
    ),
    (
        "services-siloed",
        "Lembaga publik yang tersilo, pelayanan teknis fungsional: warga membawa setiap permohonan dari satu lembaga ke lembaga lain.",
    ),
    (
        "services-one-door",
        "Forum yang tersilo dengan pelayanan satu pintu mulai putaran 20: kunjungan dan pengumpulan data berkurang, tetapi penolakan membuat warga kembali lagi.",
    ),
    (
        "services-one-door-task-force",
        "Reformasi satu pintu ditambah gugus tugas semua sektor mulai putaran 20: penolakan turun, begitu pula waktu penyelesaian layanan.",
    ),
    (
        "services-electronic",
        "Pelayanan elektronik dengan perjanjian berbagi data mulai putaran 20: hampir tanpa kunjungan atau pengumpulan data ganda, waktu penyelesaian layanan terpendek.",
    ),
    (
        "assistance-unclear-law",
        "Pelayanan satu pintu dengan dasar hukum yang tidak jelas: sebagian besar Bantuan Kedinasan ditolak karena tidak diizinkan undang-undang.",
    ),
    (
        "assistance-mutual-aid",
        "Forum dengan hukum yang tidak jelas, ditambah perjanjian bantuan bersama di antara semua lembaga mulai putaran 20: penolakan karena hukum berhenti.",
    ),
    (
        "capacity-gap",
        "Merger sektor yang kuat SDM-nya dengan sektor yang lemah: penolakan karena beban berlebih pada awalnya, lalu pelatihan menaikkan kapasitas dari waktu ke waktu.",
    ),
    (
        "levels-devolved",
        "Otonomi tinggi tanpa kendali pusat (desentralisasi berlebihan): daerah bersepakat di dalam, tetapi saling menjauh; konsensus nasional jarang tercapai.",
    ),
    (
        "levels-recentralised",
        "Otonomi rendah dan kendali pusat yang kuat: kesenjangan kekuasaan membuat dialog vertikal tidak produktif dan kepercayaan antartingkat pemerintahan turun.",
    ),
    (
        "levels-rebalanced",
        "Forum yang terdesentralisasi dengan kendali sedang dan koordinasi nasional mulai putaran 30 (Integrating and Rebalancing Governance): pemahaman antardaerah dan konsensus pulih.",
    ),
    (
        "indonesia",
        "Seluruh negeri dalam satu forum: pemerintah pusat, 38 provinsi dan 514 kabupaten/kota, delapan sektor, sekitar 37.600 aktor, dengan pelayanan publik lintas tingkat pemerintahan; otonomi tinggi dengan sedikit kendali pusat.",
    ),
];

/// The Indonesian description of the bundled scenario `name` ([`DESCRIPTIONS_ID`]).
pub fn description_id(name: &str) -> Option<&'static str> {
    DESCRIPTIONS_ID
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_has_an_indonesian_description() {
        let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
        let described: Vec<&str> = DESCRIPTIONS_ID.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, described);
        for (name, text) in DESCRIPTIONS_ID {
            assert!(!text.is_empty(), "{name}");
        }
    }
}
