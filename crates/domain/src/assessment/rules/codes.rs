//! The codes of a rule set: what a criterion divides by, the slum classes, and the
//! handling measures.

define_code! {
    /// What a criterion's volume is divided by to give its percentage; the code is the
    /// identifier used in rule set files.
    pub enum Denominator {
        /// Luas verifikasi: the verified area of the location, in hectares.
        LuasHa = "luas_ha",
        /// Jumlah bangunan: number of buildings (unit).
        JumlahBangunan = "jumlah_bangunan",
        /// Jumlah KK (kepala keluarga): number of households.
        JumlahKk = "jumlah_kk",
        /// Jumlah penduduk: population (jiwa, persons).
        JumlahPenduduk = "jumlah_penduduk",
        /// Panjang jalan lingkungan ideal: ideal neighbourhood road length, in metres.
        JalanIdealM = "jalan_ideal_m",
        /// Panjang drainase lingkungan ideal: ideal drainage length, in metres.
        DrainaseIdealM = "drainase_ideal_m",
    }
}

impl Denominator {
    /// The unit the denominator is counted in.
    pub fn unit(self) -> &'static str {
        match self {
            Denominator::LuasHa => "ha",
            Denominator::JumlahBangunan => "unit",
            Denominator::JumlahKk => "KK",
            Denominator::JumlahPenduduk => "jiwa",
            Denominator::JalanIdealM | Denominator::DrainaseIdealM => "m",
        }
    }

    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Denominator::LuasHa => "luas verifikasi",
            Denominator::JumlahBangunan => "jumlah bangunan",
            Denominator::JumlahKk => "jumlah KK",
            Denominator::JumlahPenduduk => "jumlah penduduk",
            Denominator::JalanIdealM => "panjang jalan lingkungan ideal",
            Denominator::DrainaseIdealM => "panjang drainase lingkungan ideal",
        }
    }
}

define_code! {
    /// The slum class (tingkat kekumuhan) a total score falls in; `ALL` lists them
    /// heaviest first.
    pub enum SlumClass {
        /// Kumuh berat: heavy; priority letter A.
        KumuhBerat = "kumuh_berat",
        /// Kumuh sedang: medium; priority letter B.
        KumuhSedang = "kumuh_sedang",
        /// Kumuh ringan: light; priority letter C.
        KumuhRingan = "kumuh_ringan",
        /// Tidak kumuh: not a slum.
        TidakKumuh = "tidak_kumuh",
    }
}

impl SlumClass {
    /// A label for people, in Bahasa Indonesia, as the published records write it.
    pub fn label_id(self) -> &'static str {
        match self {
            SlumClass::KumuhBerat => "Kumuh berat",
            SlumClass::KumuhSedang => "Kumuh sedang",
            SlumClass::KumuhRingan => "Kumuh ringan",
            SlumClass::TidakKumuh => "Tidak kumuh",
        }
    }

    /// The letter of the priority matrix: A heavy, B medium, C light; none for not a slum.
    pub fn priority_letter(self) -> Option<char> {
        match self {
            SlumClass::KumuhBerat => Some('A'),
            SlumClass::KumuhSedang => Some('B'),
            SlumClass::KumuhRingan => Some('C'),
            SlumClass::TidakKumuh => None,
        }
    }
}

define_code! {
    /// A handling measure (pola penanganan) recommended for a location; the code is the
    /// identifier used in rule set files and JSON.
    pub enum Measure {
        /// Pemugaran: restoration of the existing settlement.
        Pemugaran = "pemugaran",
        /// Peremajaan: redevelopment of the settlement in place.
        Peremajaan = "peremajaan",
        /// Pemukiman kembali: resettlement to another site.
        PemukimanKembali = "pemukiman_kembali",
        /// Penyelesaian status lahan: settle the land status before any physical work.
        PenyelesaianStatusLahan = "penyelesaian_status_lahan",
        /// Pencegahan: prevention (monitoring, control and community empowerment).
        Pencegahan = "pencegahan",
    }
}

impl Measure {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Measure::Pemugaran => "Pemugaran",
            Measure::Peremajaan => "Peremajaan",
            Measure::PemukimanKembali => "Pemukiman kembali",
            Measure::PenyelesaianStatusLahan => "Penyelesaian status lahan",
            Measure::Pencegahan => "Pencegahan",
        }
    }
}
