# collabgov: setiap teks yang dibaca pengguna, dalam Bahasa Indonesia. Kunci yang sama dengan en.ftl (diuji).
# Sintaks Project Fluent (https://projectfluent.org/): { $name } diisi oleh program.

## The classroom page

title = Simulasi Tata Kelola Kolaboratif
scenario = Skenario
upload = Atau unggah berkas skenario (.toml)
uploaded = diunggah
settings = Pengaturan
practices = Praktik Whole-of-Government
from_round = mulai putaran
compare_with = Bandingkan dengan
compare_hint = Menjalankan keduanya pada sumbu yang sama: skenario bawaan apa adanya terhadap pengaturan di atas.
run = Jalankan
stop = Hentikan
hold = Jeda
resume = Lanjutkan
step = Satu putaran
speed = Kecepatan
speed_max = secepat simulasinya
speed_value = { $n } putaran per detik
keys_hint = Tombol: spasi menjalankan, menjeda dan melanjutkan; → menampilkan satu putaran lagi.
download_toml = Unduh skenario (TOML)
download_csv = Unduh hasil (CSV)
network_caption = Jaringan ulangan 0, putaran demi putaran: sektor sebagai kelompok, lembaga publik sebagai persegi dan aktor non-negara sebagai lingkaran, kepercayaan timbal balik tiap hubungan sebagai warna dan tebal garis (jingga rendah, abu-abu sedang, biru tinggi).
play = Mainkan
pause = Jeda
round_label = Putaran
agency = lembaga publik
non_state = aktor non-negara
trust_low_high = kepercayaan: rendah → tinggi
no_live_network = Forum ini terlalu besar untuk dianimasikan di halaman; `collabgov run` menggambar jaringannya.
footer = Grafik: rata-rata atas ulangan (garis) dan rentang 95 % di antaranya (pita). uPlot (lisensi MIT):
silo = Siloisasi
help_silo = Peluang dialog antara dua sektor terhalang (0: tidak pernah, 1: selalu).
help_autonomy = Peluang dialog atau permintaan antara dua pemerintahan ditolak: masing-masing berjalan sendiri.
help_control = Kendali politik: dialog antartingkat lolos dari otonomi dengan peluang ini, dan pusat lebih berbobot di dalamnya.
help_inclusiveness = Peluang setiap aktor non-negara ikut serta dalam satu putaran (lembaga publik selalu ikut).
help_leadership = Kepemimpinan fasilitatif: menyeimbangkan kesenjangan kekuasaan dan membuat dialog beriktikad baik lebih mungkin.
help_ground_rules = Aturan dasar yang jelas dan transparansi: dialog beriktikad baik lebih mungkin.
help_legal_clarity = Seberapa jelas dasar hukumnya: komitmen tidak dapat tumbuh melebihinya.
help_trust_across_start = Rata-rata kepercayaan antarsektor di awal (riwayat konflik: rendah).
help_power_spread = Seberapa jauh kekuasaan para aktor berbeda di awal (0: semua setara).
help_rounds = Putaran dialog (pertemuan) dalam setiap simulasi.
help_replicates = Ulangan: simulasi forum yang sama dengan undian acak lain; pita dan selang kepercayaan berasal darinya.
help_seed = Titik awal bilangan acak: benih yang sama memberi hasil yang sama.
help_coordinating_agency = Lembaga baru yang berelasi dengan setiap lembaga, dipercaya 0,7, mulai putaran yang diberikan.
help_task_force = Aktor semua sektor saling berelasi dan tanpa silo di antara mereka, mulai putaran yang diberikan.
help_social_coalition = Relasi yang belum ada antara aktor non-negara dan lembaga publik muncul (peluang 0,3).
help_merge = Semua sektor menjadi satu: tidak ada lagi silo yang menghalangi dialog.
help_one_door = Warga mengajukan sekali di satu lembaga, yang meminta lembaga lain melalui Bantuan Kedinasan.
trust_vertical = Kepercayaan antartingkat pemerintahan
understanding_between_units = Pemahaman bersama antarkabupaten/kota
units_in_consensus = Proporsi kabupaten/kota yang mencapai konsensus
autonomy = Otonomi tiap pemerintahan
control = Kendali pusat
inclusiveness = Keterlibatan (inklusivitas)
leadership = Kepemimpinan fasilitatif
ground_rules = Aturan dasar, transparansi
legal_clarity = Kejelasan dasar hukum
trust_across_start = Kepercayaan antarsektor di awal
power_spread = Ketimpangan kekuasaan
rounds = Putaran
replicates = Ulangan
seed = Benih acak (seed)
coordinating_agency = Lembaga koordinasi khusus
task_force = Gugus tugas (semua sektor)
social_coalition = Koalisi sosial
merge = Merger (penggabungan semua sektor)
one_door = Pelayanan satu pintu
by_sector = Per sektor
by_sector_hint = Rata-rata tiap sektor atas ulangan: sektor mana yang tertinggal dalam forum.
group_trust = Kepercayaan aktornya kepada mitra
group_participation = Proporsi aktornya yang ikut serta
group_commitment = Komitmen aktornya
trust_within = Kepercayaan di dalam sektor
trust_across = Kepercayaan antarsektor
commitment = Komitmen terhadap proses
understanding = Pemahaman bersama
wins = Outcome antara (kemenangan kecil)
consensus_now = Proporsi ulangan yang mencapai konsensus
service_time = Waktu penyelesaian layanan (putaran)
trips = Kunjungan warga per permohonan
round = putaran
mean = rata-rata
band = pita 95 %
running = Menjalankan { $name }: putaran { $round } dari { $rounds }
failed = Tidak dijalankan: lihat pesan di bawah skenario.
save_png = Simpan PNG
handout = Handout untuk dicetak
handout_wait = Menyiapkan handout: simulasi dijalankan lagi dengan benih yang sama…
handout_ready = Handout terbuka di tab baru: cetak dari sana (A4).
share = Tautan ke pengaturan ini
link_ready = Bilah alamat kini berisi tautan ke pengaturan ini (disalin bila peramban mengizinkan): pasang di salindia.
present = Mode presentasi
queued = Menunggu: simulasi lain sedang berjalan…
done = Selesai.
stopped = Dihentikan.
consensus_reached = konsensus tercapai pada
consensus_figures = { $percent } % dari { $replicates } ulangan (selang kepercayaan 95 %: { $low }-{ $high } %)
median_round = ; median: putaran ke-{ $median }
error_prefix = Skenario ditolak:
cli_summary = Ringkasan, seperti dicetak oleh `collabgov run --lang id` dan `collabgov compare --lang id`
assess = Praktik mana yang paling membantu?
assessing = Menilai setiap praktik terhadap { $name }…
assess_title = Praktik mana yang paling membantu? Setiap praktik mulai putaran { $round }, dipasangkan ulangan demi ulangan dengan { $name } sesuai pengaturan (seperti peringkat `collabgov assess`)
col_rank = Peringkat
col_practice = Praktik
col_consensus = Proporsi ulangan yang mencapai konsensus
col_trust = Kepercayaan antarsektor
no_clear_effect = tidak ada efek yang jelas
not_distinct = tidak dapat dibedakan dari berikutnya
try_step = Siapkan langkah ini

## Ringkasan hasil: `collabgov run`, `compare`, kotak ringkasan di halaman, `report`

summary-consensus = konsensus tercapai pada { $figures }
summary-consensus-figures = { $percent } % dari { $replicates } ulangan (selang kepercayaan 95 %: { $low }-{ $high } %)
summary-median = ; median: putaran ke-{ $median }
summary-trust = kepercayaan akhir di dalam sektor { $within }, antarsektor { $across } (rata-rata [selang kepercayaan 95 %])
summary-cycle = komitmen akhir { $commitment }, pemahaman bersama { $understanding }, outcome antara { $wins }
summary-services = layanan pada putaran terakhir: waktu penyelesaian layanan { $time } putaran, kunjungan { $trips }, duplikasi pengumpulan berkas { $duplication }, antrean { $backlog } (rata-rata [selang kepercayaan 95 %])
summary-assistance = Bantuan Kedinasan per putaran: { $granted } diberikan, { $refused } ditolak; perjanjian bantuan bersama { $agreements }
summary-levels = tingkat pemerintahan: kepercayaan di dalam pemerintahan { $local }, antartingkat { $vertical }; pemahaman antarkabupaten/kota { $between }, kabupaten/kota yang berkonsensus { $units } (rata-rata [selang kepercayaan 95 %])
summary-intervals = selang: { $note }
summary-no-value = t/a
summary-no-interval = { $mean } [tanpa selang]
interval-one-network = selang t atas ulangan, pada satu undian jaringan (keacakan jaringan itu sendiri tidak tercakup)
interval-network-per-replicate = selang t atas ulangan, masing-masing pada jaringannya sendiri (mencakup keacakan jaringan dan dinamikanya)
interval-nested = selang t dari { $draws } undian jaringan (efek acak satu arah: varians antar- dan di dalam jaringan)

## Skenario bawaan: judul dan uraian masing-masing (`collabgov scenarios`, halaman)

scenario-default = Forum daerah aliran sungai
scenario-default-description = Forum daerah tentang pencemaran daerah aliran sungai: empat sektor, lembaga publik dan aktor non-negara, siloisasi sedang.
scenario-siloed-government = Pemerintahan yang tersekat-sekat (siloisasi)
scenario-siloed-government-description = Empat sektor dengan cara pandangnya sendiri dan siloisasi yang kuat: kepercayaan antarsektor terkikis, konsensus jarang tercapai.
scenario-whole-of-government = Whole-of-Government (pemerintahan terpadu)
scenario-whole-of-government-description = Awal yang tersilo, lalu lembaga koordinasi khusus, gugus tugas lintas sektor dan reformasi yang menurunkan siloisasi mulai putaran 30: forum pulih.
scenario-conflict-prehistory = Riwayat konflik
scenario-conflict-prehistory-description = Kepercayaan antarsektor rendah karena riwayat konflik, kepemimpinan fasilitatif lemah: kepercayaan tetap rendah.
scenario-conflict-prehistory-facilitated = Riwayat konflik dengan fasilitasi
scenario-conflict-prehistory-facilitated-description = Riwayat konflik yang sama dengan kepemimpinan fasilitatif yang kuat: kepercayaan dibangun kembali.
scenario-power-imbalance = Ketimpangan kekuasaan
scenario-power-imbalance-description = Lembaga publik yang kuat, aktor non-negara yang lemah, kepemimpinan lemah: ketimpangan kekuasaan merusak dialog.
scenario-power-imbalance-facilitated = Ketimpangan kekuasaan dengan kepemimpinan fasilitatif
scenario-power-imbalance-facilitated-description = Ketimpangan kekuasaan yang sama, diimbangi oleh kepemimpinan fasilitatif yang kuat.
scenario-inclusive-forum-low = Forum yang kurang inklusif
scenario-inclusive-forum-low-description = Forum yang jarang menyertakan aktor non-negara: komitmen mereka memudar, konsensus jarang tercapai.
scenario-inclusive-forum-high = Forum yang inklusif
scenario-inclusive-forum-high-description = Forum yang sama dengan setiap aktor non-negara ikut serta di setiap putaran.
scenario-unclear-legal-basis = Dasar hukum yang tidak jelas
scenario-unclear-legal-basis-description = Dasar hukum yang tidak jelas membatasi komitmen: kepercayaan tumbuh, tetapi proses terhenti sebelum konsensus.
scenario-services-siloed = Pelayanan: loket yang tersekat-sekat
scenario-services-siloed-description = Lembaga publik yang tersilo, pelayanan teknis fungsional: warga membawa setiap permohonan dari satu lembaga ke lembaga lain.
scenario-services-one-door = Pelayanan satu pintu
scenario-services-one-door-description = Forum yang tersilo dengan pelayanan satu pintu mulai putaran 20: kunjungan dan pengumpulan data berkurang, tetapi penolakan membuat warga kembali lagi.
scenario-services-one-door-task-force = Pelayanan satu pintu dan gugus tugas
scenario-services-one-door-task-force-description = Reformasi satu pintu ditambah gugus tugas semua sektor mulai putaran 20: penolakan turun, begitu pula waktu penyelesaian layanan.
scenario-services-electronic = Pelayanan elektronik
scenario-services-electronic-description = Pelayanan elektronik dengan perjanjian berbagi data mulai putaran 20: hampir tanpa kunjungan atau pengumpulan data ganda, waktu penyelesaian layanan terpendek.
scenario-assistance-unclear-law = Bantuan Kedinasan dengan dasar hukum yang tidak jelas
scenario-assistance-unclear-law-description = Pelayanan satu pintu dengan dasar hukum yang tidak jelas: sebagian besar Bantuan Kedinasan ditolak karena tidak diizinkan undang-undang.
scenario-assistance-mutual-aid = Bantuan Kedinasan dengan perjanjian bantuan bersama
scenario-assistance-mutual-aid-description = Forum dengan hukum yang tidak jelas, ditambah perjanjian bantuan bersama di antara semua lembaga mulai putaran 20: penolakan karena hukum berhenti.
scenario-capacity-gap = Kesenjangan kapasitas
scenario-capacity-gap-description = Merger sektor yang kuat SDM-nya dengan sektor yang lemah: penolakan karena beban berlebih pada awalnya, lalu pelatihan menaikkan kapasitas dari waktu ke waktu.
scenario-levels-devolved = Tingkat pemerintahan: otonomi tinggi
scenario-levels-devolved-description = Otonomi tinggi tanpa kendali pusat (desentralisasi berlebihan): daerah bersepakat di dalam, tetapi saling menjauh; konsensus nasional jarang tercapai.
scenario-levels-recentralised = Tingkat pemerintahan: resentralisasi
scenario-levels-recentralised-description = Otonomi rendah dan kendali pusat yang kuat: kesenjangan kekuasaan membuat dialog vertikal tidak produktif dan kepercayaan antartingkat pemerintahan turun.
scenario-levels-rebalanced = Tingkat pemerintahan: diseimbangkan kembali
scenario-levels-rebalanced-description = Forum yang terdesentralisasi dengan kendali sedang dan koordinasi nasional mulai putaran 30 (Integrating and Rebalancing Governance): pemahaman antardaerah dan konsensus pulih.
scenario-indonesia = Indonesia
scenario-indonesia-description = Seluruh negeri dalam satu forum: pemerintah pusat, 38 provinsi dan 514 kabupaten/kota, delapan sektor, sekitar 37.600 aktor, dengan pelayanan publik lintas tingkat pemerintahan; otonomi tinggi dengan sedikit kendali pusat.

## Sektor skenario bawaan (legenda); sektor dari berkas sendiri tetap memakai namanya

sector-agriculture = pertanian
sector-coordination = koordinasi
sector-education = pendidikan
sector-environment = lingkungan hidup
sector-finance = keuangan
sector-health = kesehatan
sector-industry = perindustrian
sector-investment = penanaman modal
sector-land = pertanahan
sector-licensing = perizinan
sector-planning = perencanaan
sector-population = kependudukan
sector-public-works = pekerjaan umum
sector-social-affairs = sosial
sector-tax = perpajakan
sector-village-affairs = urusan desa

## Praktik dalam menu bawaan `assess`

and = dan
practice-coordinating-agency = Lembaga koordinasi khusus
practice-task-force-weakest = Gugus tugas { $sectors }
practice-task-force-all = Gugus tugas semua sektor
practice-social-coalition = Koalisi sosial
practice-merger = Merger semua sektor
practice-leadership = Kepemimpinan fasilitatif dinaikkan ke 0,9
practice-ground-rules = Aturan dasar yang lebih jelas (0,9)
practice-legal-basis = Dasar hukum yang lebih jelas (1)
practice-national-coordination = Koordinasi nasional semua sektor
practice-more-control = Penyeimbangan: kendali pusat dinaikkan ke 0,4
practice-less-autonomy = Penyeimbangan: otonomi dibagi dua menjadi { $autonomy }

## Guided lessons: a title, then each step's task and question

lessons = Pelajaran
lesson_choice = Pelajaran
lesson-silo-title = Mengapa silo membuat kolaborasi gagal
lesson-silo-1-task = Pilih “siloed-government” lalu tekan Jalankan.
lesson-silo-1-question = Kurva mana yang naik, dan mana yang tetap rendah? Mengapa kepercayaan antarsektor macet?
lesson-silo-2-task = Lembaga koordinasi khusus dan gugus tugas mulai putaran 30, dibandingkan dengan siloed-government: tekan Jalankan.
lesson-silo-2-question = Apa yang berubah pada putaran 30, dan berapa lama sampai pemahaman bersama menyusul?
lesson-silo-3-task = Sebagai gantinya siloisasi diturunkan ke 0,3, dibandingkan dengan siloed-government: tekan Jalankan.
lesson-silo-3-question = Praktik mana yang paling membantu forum di instansi Anda sendiri, dan berapa biayanya?
lesson-services-title = Pelayanan publik: dari loket tersekat ke satu pintu
lesson-services-1-task = Jalankan “services-siloed”: setiap instansi hanya melayani bagiannya sendiri dari suatu permohonan.
lesson-services-1-question = Berapa kali warga harus datang dan berapa putaran yang dibutuhkan? Ke mana waktunya habis?
lesson-services-2-task = Pelayanan satu pintu mulai putaran 20, dibandingkan dengan loket yang tersekat: tekan Jalankan.
lesson-services-2-question = Angka mana yang langsung turun, dan mana yang tidak? Mengapa permohonan masih ditolak?
lesson-services-3-task = Satu pintu ditambah gugus tugas semua sektor, dibandingkan dengan satu pintu saja: tekan Jalankan.
lesson-services-3-question = Apa yang ditambahkan gugus tugas yang tidak bisa diberikan satu loket?
lesson-assistance-title = Bantuan Kedinasan dengan dasar hukum yang tidak jelas
lesson-assistance-1-task = Jalankan “assistance-unclear-law”: instansi saling meminta bantuan dengan dasar hukum yang kabur.
lesson-assistance-1-question = Berapa banyak bantuan yang ditolak, dan apa alasannya?
lesson-assistance-2-task = Perjanjian bantuan bersama mulai putaran 20, dibandingkan dengan hukum yang tidak jelas: tekan Jalankan.
lesson-assistance-2-question = Penolakan mana yang berhenti, dan apa yang terjadi pada waktu penyelesaian layanan?
lesson-assistance-3-task = Sebagai gantinya dasar hukum dibuat sepenuhnya jelas, dibandingkan dengan hukum yang tidak jelas: tekan Jalankan.
lesson-assistance-3-question = Di sini, mana obat yang lebih baik: hukum yang lebih jelas atau perjanjian antarinstansi?
lesson-power-title = Ketimpangan kekuasaan dan kepemimpinan fasilitatif
lesson-power-1-task = Jalankan “power-imbalance”: instansi yang kuat, aktor non-negara yang lemah, kepemimpinan yang lemah.
lesson-power-1-question = Apa yang terjadi pada kepercayaan dan komitmen ketika satu pihak menguasai meja perundingan?
lesson-power-2-task = Kepemimpinan fasilitatif yang kuat, dibandingkan dengan ketimpangan itu: tekan Jalankan.
lesson-power-2-question = Apa yang diubah oleh seorang fasilitator, dan seberapa cepat?
lesson-power-3-task = Sebagai gantinya kekuasaan disetarakan (sebaran 0,1), dibandingkan dengan ketimpangan itu: tekan Jalankan.
lesson-power-3-question = Mana yang lebih realistis di forum Anda: menyetarakan kekuasaan atau memfasilitasinya?
lesson-inclusion-title = Inklusivitas: siapa yang duduk di meja
lesson-inclusion-1-task = Jalankan “inclusive-forum-low”: aktor non-negara jarang ikut serta.
lesson-inclusion-1-question = Apa yang terjadi pada komitmen mereka, dan pada konsensus?
lesson-inclusion-2-task = Setiap aktor non-negara ikut serta di setiap putaran, dibandingkan dengan forum yang tertutup: tekan Jalankan.
lesson-inclusion-2-question = Seberapa besar keikutsertaan saja mengubah hasilnya?
lesson-inclusion-3-task = Koalisi sosial mulai putaran 30 pada forum yang tertutup, dibandingkan dengannya: tekan Jalankan.
lesson-inclusion-3-question = Dapatkah relasi baru menggantikan keikutsertaan yang jarang?
lesson-levels-title = Tingkat pemerintahan: otonomi dan kendali pusat
lesson-levels-1-task = Jalankan “levels-devolved”: otonomi daerah tinggi, tanpa kendali pusat.
lesson-levels-1-question = Daerah sepakat di dalam dirinya; mengapa bangsa ini jarang mencapai konsensus?
lesson-levels-2-task = Kendali sedang dan koordinasi nasional mulai putaran 30, dibandingkan dengan otonomi tinggi: tekan Jalankan.
lesson-levels-2-question = Apa yang pulih lebih dulu: kepercayaan antartingkat atau pemahaman antardaerah?
lesson-levels-3-task = Resentralisasi (otonomi rendah, kendali tinggi), dibandingkan dengan otonomi tinggi: tekan Jalankan.
lesson-levels-3-question = Mengapa kendali yang lebih besar justru memperburuk dialog antartingkat?

## Perbandingan: `collabgov compare`, kotak ringkasan di halaman

compare-in = { $value } pada { $name }
compare-ended = { $what } berakhir di { $values }.
compare-consensus = Konsensus tercapai pada { $shares } ulangan (berturut-turut { $names }).
compare-intervals = Selang: 95 %, { $note }.
compare-intervals-of = Selang { $name }: 95 %, { $note }.
paired-not = { $first } dan { $other } tidak berpasangan (benih, jumlah ulangan atau undian jaringan berbeda): bandingkan selang-selangnya di atas.
paired-differences = Selisih berpasangan, { $other } dikurangi { $first }, ulangan demi ulangan ({ $pairs } pasang; { $intervals }): { $parts }.
paired-intervals = selang kepercayaan 95 %: t atas pasangan, square-and-add Newcombe untuk proporsi konsensus
paired-consensus-share = proporsi konsensus
summary-metric-trust_within = Kepercayaan di dalam sektor
summary-metric-trust_across = Kepercayaan antarsektor
summary-metric-commitment = Komitmen terhadap proses
summary-metric-understanding = Pemahaman bersama
summary-metric-wins = Outcome antara
summary-metric-backlog = Permohonan terbuka (antrean)
summary-metric-service_time = Waktu penyelesaian layanan
summary-metric-trips = Kunjungan per permohonan
summary-metric-duplication = Duplikasi pengumpulan berkas
summary-metric-cost = Biaya per permohonan
summary-metric-assistance_granted = Bantuan Kedinasan diberikan per putaran
summary-metric-assistance_refused = Bantuan Kedinasan ditolak per putaran
summary-metric-trust_vertical = Kepercayaan antartingkat
summary-metric-understanding_between_units = Pemahaman antarkabupaten/kota
summary-metric-units_in_consensus = Kabupaten/kota yang berkonsensus

## Interventions as charts mark them (the core's labels; the English is what run.json says)
intervention-set = { $parameter } = { $value }
intervention-coordinating-agency = lembaga koordinasi khusus
intervention-merge = merger { $sectors }
intervention-mutual-aid = perjanjian bantuan bersama { $name }
intervention-national-coordination = koordinasi nasional (+{ $relations } relasi)
intervention-rebalance = penyeimbangan ({ $parts })
intervention-rebalance-autonomy = otonomi { $value }
intervention-rebalance-control = kendali { $value }
intervention-rebalance-power = kekuasaan menurut tingkat
intervention-service-technical-functional = pelayanan teknis fungsional
intervention-service-one-roof = pelayanan satu atap
intervention-service-one-door = pelayanan satu pintu
intervention-service-centralised = pelayanan terpusat
intervention-service-electronic = pelayanan elektronik
intervention-social-coalition = koalisi sosial (+{ $relations } relasi)
intervention-task-force = gugus tugas { $who } (putaran { $from }-{ $until })
intervention-task-force-governments = gugus tugas { $who } pemerintahan (putaran { $from }-{ $until })
intervention-task-force-many = gugus tugas { $who } sektor (putaran { $from }-{ $until })
intervention-union = union { $sectors }
intervention-union-governments = union { $count } pemerintahan

## A scenario in words (collabgov report, the handout)
describe-relations = { $start } relasi
describe-relations-added = { $start } relasi di awal, { $added } lagi ditambahkan oleh intervensi
describe-draws = {" "}(jaringan ulangan 0; { $draws } undian jaringan seluruhnya)
describe-actors = { $actors } aktor ({ $agencies } lembaga publik, { $nonstate } aktor non-negara) dalam { $count } sektor: { $sectors }; { $relations }{ $draws }.
describe-design = Siloisasi { $silo } (peluang dialog antarsektor terhambat), keterlibatan { $inclusiveness }, kepemimpinan fasilitatif { $leadership }, aturan dasar { $rules }, kejelasan dasar hukum { $legal }.
describe-size = { $rounds } putaran dialog tatap muka, { $replicates } ulangan (forum simulasi yang saling bebas), benih utama { $seed }.
describe-services = Dengan pelayanan publik dan Bantuan Kedinasan (perluasan CG-2).
describe-intervention = Mulai putaran { $round }: { $label }.
## Ansell & Gash's six criteria (the English as collabgov validate words them)
criterion-1 = 1. Forum diprakarsai oleh lembaga publik atau institusi
criterion-2 = 2. Peserta forum termasuk aktor non-negara
criterion-3 = 3. Peserta terlibat langsung dalam pengambilan keputusan, bukan hanya dikonsultasikan
criterion-4 = 4. Forum diatur secara resmi dan bertemu secara kolektif
criterion-5 = 5. Forum bertujuan membuat keputusan dengan konsensus
criterion-6 = 6. Fokus kolaborasi adalah kebijakan publik atau manajemen

## Charts' words (the network picture and the handout's charts)
chart-network-title = { $scenario }: jaringan kepercayaan ulangan 0
chart-network-sampled = {" "}Ditampilkan satu dari setiap { $step } dari { $relations } relasi.
chart-network-note = Warna dan tebal relasi: saling percaya (oranye = rendah, abu-abu = sedang, biru = tinggi). Warna aktor: sektor. Aktor yang bernama diberi label.{ $sampled }
chart-network-start = Putaran 0 (awal)
chart-network-end = Putaran { $round }
chart-network-agency = lembaga
chart-network-non-state = aktor non-negara
chart-network-trust = kepercayaan 0

chart-round = Putaran

## The handout (collabgov report --handout, the page's handout button)
based-on = Berdasarkan "{ $title }": { $description }
chart-cycle-title = { $names }: siklus tata kelola kolaboratif
chart-cycle-caption = Rata-rata { $replicates } ulangan (garis) dan 2,5-97,5 % di antaranya (pita; konsensus: selang kepercayaan Wilson 95 %). Garis tegak: intervensi.
chart-cycle-consensus = Proporsi ulangan yang mencapai konsensus
chart-cycle-share = proporsi ulangan
chart-cycle-level = tingkat (0 sampai 1)
handout-title-compare = Perbandingan: { $names }
handout-lead-compare = { $count } skenario dijalankan dengan benih yang sama dan dibandingkan ulangan demi ulangan.
handout-scenario = Skenario
handout-results = Hasil
handout-chart = Dari putaran ke putaran
handout-network = Jaringan
handout-criteria = Apakah ini tata kelola kolaboratif? Enam kriteria Ansell & Gash
handout-criterion = kriteria
handout-met = terpenuhi
handout-yes = ya
handout-no = tidak
handout-provenance = collabgov { $version }, { $model }; benih { $seed }, { $replicates } ulangan masing-masing { $rounds } putaran; sidik jari skenario { $fingerprint }. Skenario dan benih yang sama memberi angka yang sama.
handout-not-rebuilt = Skenario tidak dapat dibangun ulang dari manifesnya (berkas yang disebutnya telah berpindah).
