//! Matching place names the way people type them.
//!
//! Names are spelled several ways in the wild ("Klagen Serut", "Klagenserut",
//! "KLAGENSERUT"), so a search key drops case, spaces and punctuation.

/// The key a name is matched on: lower case, letters and digits only.
///
/// # Examples
/// ```
/// use kumuh_domain::search::search_key;
/// assert_eq!(search_key("Klagen Serut"), search_key("klagenserut"));
/// assert_eq!(search_key("Kincang-Wetan"), "kincangwetan");
/// ```
pub fn search_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// All the keys a place is found by: its name and each alternative spelling.
pub fn search_keys<'a>(nama: &'a str, nama_alt: &'a [String]) -> impl Iterator<Item = String> + 'a {
    std::iter::once(nama)
        .chain(nama_alt.iter().map(String::as_str))
        .map(search_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spaces_and_punctuation() {
        for (a, b) in [
            ("klagen serut", "Klagenserut"),
            ("KINCANG WETAN", "Kincang Wetan"),
            ("  bibrik ", "Bibrik"),
        ] {
            assert_eq!(search_key(a), search_key(b), "{a} vs {b}");
        }
        assert_ne!(search_key("Wayut"), search_key("Bibrik"));
    }

    #[test]
    fn alternative_spellings_are_keys_too() {
        let alt = vec!["Klagenserut".to_owned()];
        let keys: Vec<String> = search_keys("Klagen Serut", &alt).collect();
        assert_eq!(keys, ["klagenserut", "klagenserut"]);
    }
}
