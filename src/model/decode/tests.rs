use super::*;

fn run(text: &str) -> (ClusterFile, Vec<Diagnostic>) {
    let file = SourceFile::new("t.yaml", text);
    let root = crate::yaml::parse(&file).unwrap();
    let mut diags = Diagnostics::default();
    let model = decode(&file, &root, &mut diags);
    (model, diags.into_sorted())
}

const BASE: &str = "cluster: {name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en}\nservers:\n  - {name: a, ip: 10.0.0.1, interconnects: [10.1.0.1]}\ngroups:\n  - name: g\n    failover: [a]\n    ip: 10.0.0.9\n    apps: [{product: iis, version: 6.0}]\n";

#[test]
fn a_good_file_decodes_without_diagnostics() {
    let (m, d) = run(BASE);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(m.groups[0].apps[0].version.as_ref().unwrap().value, "6.0");
}

#[test]
fn every_problem_is_reported_with_its_place() {
    let text = BASE
        .replace("language: en", "language: de, colour: red")
        .replace("failover: [a]", "failovr: [a]");
    let (_, d) = run(&text);
    let codes: Vec<_> = d.iter().map(|d| d.code.name()).collect();
    assert_eq!(
        codes,
        ["invalid-value", "unknown-field", "missing-field", "unknown-field"],
        "{d:?}"
    );
    let unknown = &d[3];
    assert_eq!(&text[unknown.span.clone()], "failovr");
    assert_eq!(unknown.help.as_deref(), Some("did you mean `failover`?"));
}

#[test]
fn many_groups_decode_on_every_core_as_they_would_one_by_one() {
    // 300 groups: several jobs of GROUPS_PER_JOB; three broken groups in different jobs.
    let mut text = BASE.split("groups:\n").next().unwrap().to_string() + "groups:\n";
    for i in 0..300 {
        let key = if [5, 150, 299].contains(&i) {
            "failovr"
        } else {
            "failover"
        };
        text.push_str(&format!(
            "  - {{name: g{i}, {key}: [a], ip: 10.0.0.9, apps: [{{product: iis}}]}}\n"
        ));
    }
    let (model, d) = run(&text);
    let named: Vec<&str> = model.groups.iter().map(|g| g.name.value.as_str()).collect();
    // A group with a problem is still decoded (its diagnostics say what is wrong).
    let expected: Vec<String> = (0..300).map(|i| format!("g{i}")).collect();
    assert_eq!(named, expected);
    let unknown: Vec<usize> = d
        .iter()
        .filter(|d| d.code.name() == "unknown-field")
        .map(|d| text[..d.span.start].lines().count())
        .collect();
    // Line of each broken group: 4 lines of head before `groups:`, then one line each.
    assert_eq!(unknown, [4 + 5 + 1, 4 + 150 + 1, 4 + 299 + 1], "{d:?}");
}

#[test]
fn yaml_1_1_booleans_are_refused_with_a_hint() {
    let text = BASE.replace("version: 6.0}", "version: 6.0, monitor: yes}");
    let (_, d) = run(&text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::InvalidValue);
    assert_eq!(d[0].help.as_deref(), Some("write `true`"));
}

#[test]
fn duplicate_keys_name_both_places() {
    let text = format!("{BASE}servers: []\n");
    let (_, d) = run(&text);
    assert_eq!(d[0].code, Code::YamlSyntax);
    assert_eq!(d[0].related.len(), 1);
    assert_eq!(&text[d[0].related[0].span.clone()], "servers");
}

#[test]
fn names_that_would_inject_are_invalid_values_and_other_bad_names_invalid_names() {
    let cases = [
        (r#""../x""#, Code::InvalidValue),
        (r#""a..b""#, Code::InvalidValue),
        (r#""a/b""#, Code::InvalidValue),
        (r"'a\b'", Code::InvalidValue),
        (r#""a:b""#, Code::InvalidValue),
        (r#""a%b%""#, Code::InvalidValue),
        (r#""a&b""#, Code::InvalidValue),
        (r#""a<b""#, Code::InvalidValue),
        (r#""a^b""#, Code::InvalidValue),
        (r#""a|b""#, Code::InvalidValue),
        (r#""a>b""#, Code::InvalidValue),
        (r#""a\"b""#, Code::InvalidValue),
        (r#""a!b""#, Code::InvalidValue),
        (r#""a\nb""#, Code::InvalidValue),
        (r#""a\r\nb""#, Code::InvalidValue),
        (r#""\e[31mred""#, Code::InvalidValue),
        ("1a", Code::InvalidName),
        ("a.b", Code::InvalidName),
        ("CON", Code::InvalidName),
        ("lpt1", Code::InvalidName),
        (r#""a b""#, Code::InvalidName),
        (r#""\u202eab""#, Code::InvalidName),
    ];
    for (name, code) in cases {
        let text = BASE.replace("name: g\n", &format!("name: {name}\n"));
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1, "{name}: {d:?}");
        assert_eq!(d[0].code, code, "{name}: {d:?}");
        assert_eq!(&text[d[0].span.clone()], name, "{name}: the span covers the value");
        assert!(
            !d[0].message.contains('\u{1b}') && !d[0].message.contains('\n'),
            "{:?}",
            d[0].message
        );
    }
}

#[test]
fn watch_ids_that_would_inject_are_invalid_values() {
    let app = "apps: [{product: iis, version: 6.0}]";
    for (id, code) in [
        ("'W&X'", Code::InvalidValue),
        ("'W/X'", Code::InvalidValue),
        ("'W X'", Code::InvalidName),
        ("NEC_X", Code::InvalidName),
    ] {
        let text = BASE.replace(
            app,
            &format!("apps: [{{product: custom, services: [{{name: S, watch_id: {id}}}]}}]"),
        );
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1, "{id}: {d:?}");
        assert_eq!(d[0].code, code, "{id}: {d:?}");
        assert_eq!(&text[d[0].span.clone()], id);
    }
}

#[test]
fn huge_numbers_are_values_with_a_place_not_syntax_errors() {
    for huge in ["18446744073709551615", "99999999999999999999999999999"] {
        let text = BASE.replace("ip: 10.0.0.9", &format!("ip: {huge}"));
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::InvalidValue);
        assert_eq!(&text[d[0].span.clone()], huge);
    }
}

#[test]
fn an_apps_mapping_is_reported_once() {
    let text = BASE.replace("apps: [{product: iis, version: 6.0}]", "apps: {}");
    let (_, d) = run(&text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("must be a list"), "{d:?}");
}

#[test]
fn injection_characters_are_refused() {
    let text = BASE.replace("version: 6.0}", "content_dir: 'S:\\a & calc'}");
    let (_, d) = run(&text);
    assert_eq!(d[0].code, Code::InvalidValue);
}

#[test]
fn the_language_of_the_messages_is_read_before_decoding() {
    let language = |text: &str| language(&crate::yaml::parse(&SourceFile::new("t.yaml", text)).unwrap());
    assert_eq!(language(&BASE.replace("language: en", "language: ja")), Language::Ja);
    assert_eq!(language(BASE), Language::En);
    // Absent, invalid, not text, or the cluster not a mapping: English.
    for other in ["os: x", "language: de", "language: [ja]", "language: JA"] {
        assert_eq!(language(&BASE.replace("language: en", other)), Language::En, "{other}");
    }
    assert_eq!(language("cluster: ja\n"), Language::En);
    assert_eq!(language("- language: ja\n"), Language::En);
    // A repeated key: the first counts, as decoding takes it.
    let twice = BASE.replace("language: en", "language: ja, language: en");
    assert_eq!(language(&twice), Language::Ja);
}

#[test]
fn a_japanese_file_gets_japanese_messages_at_the_same_places() {
    let text = BASE
        .replace("language: en", "language: en, colour: red")
        .replace("failover: [a]", "failovr: [a]")
        .replace("version: 6.0}", "version: 6.0, monitor: yes, content_dir: 'x'}");
    let (_, en) = run(&text);
    let (_, ja) = run(&text.replace("language: en", "language: ja"));
    assert_eq!(en.len(), 5, "{en:?}");
    let place = |d: &Diagnostic| (d.code, d.span.clone(), d.related.len(), d.help.is_some());
    assert_eq!(
        en.iter().map(place).collect::<Vec<_>>(),
        ja.iter().map(place).collect::<Vec<_>>()
    );
    for d in &ja {
        let (letters, _) = crate::i18n::letters(&d.message);
        assert!(letters > 0, "{d:?}");
    }
    assert_eq!(ja[0].message, "`cluster` に不明なキー `colour` があります");
    assert_eq!(ja[2].help.as_deref(), Some("`failover` の誤りではありませんか?"));
}
