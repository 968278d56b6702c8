//! The mirror disk of a group (`groups[].mirror`) and the cluster's network partition
//! resolution (`network_partition`), read with the leaf readers of the decoder.

use super::*;

impl<'a> Decoder<'a> {
    pub(super) fn mirror(&mut self, node: &Node, owner: Span) -> Option<Mirror> {
        let f = self.fields(
            node,
            owner.clone(),
            "mirror",
            &["drive", "cluster_drive", "volume_guids", "connects"],
        )?;
        let drive = self.required(&f, "drive").and_then(|n| self.mirror_drive(n, "drive"));
        let cluster_drive = self
            .required(&f, "cluster_drive")
            .and_then(|n| self.mirror_drive(n, "cluster_drive"));
        let mut volume_guids = Vec::new();
        if let Some(n) = f.get("volume_guids")
            && let Some(entries) = self.open_map(n, f.key_span("volume_guids").unwrap_or_default(), "volume_guids")
        {
            for (k, v) in entries {
                let Some(server) = self.name(k, "server name") else {
                    continue;
                };
                let Some(g) = self.fields(v, k.span.clone(), "mirror.volume_guids[]", &["data", "cluster"]) else {
                    continue;
                };
                let data = self
                    .required(&g, "data")
                    .and_then(|n| self.checked(n, "volume GUID", Code::InvalidValue, values::guid_problem_in));
                let cluster = self
                    .required(&g, "cluster")
                    .and_then(|n| self.checked(n, "volume GUID", Code::InvalidValue, values::guid_problem_in));
                volume_guids.push(MirrorGuids { server, data, cluster });
            }
        }
        let mut connects = Vec::new();
        if let Some(n) = self.required(&f, "connects") {
            let items = self.list(n, "connects");
            if items.is_empty() && matches!(n.kind, Kind::Seq(_) | Kind::Null) {
                self.invalid(
                    f.key_span("connects").unwrap_or_default(),
                    tr!(self.l, "decode.connects_empty"),
                );
            }
            for item in items {
                let span = item_span(item);
                let Some(entries) = self.open_map(item, span.clone(), "connects[]") else {
                    continue;
                };
                let mut addresses = Vec::new();
                for (k, v) in entries {
                    let server = self.name(k, "server name");
                    let ip = self.ip(v, "mirror connect address");
                    if let (Some(s), Some(ip)) = (server, ip) {
                        addresses.push((s, ip));
                    }
                }
                connects.push(MirrorConnect { addresses, span });
            }
        }
        Some(Mirror {
            drive,
            cluster_drive,
            volume_guids,
            connects,
            span: owner,
        })
    }

    fn mirror_drive(&mut self, node: &Node, what: &str) -> Option<Sp<char>> {
        let text = self.text(node, what)?;
        match values::parse_mirror_drive_in(self.l, &text.value) {
            Ok(letter) => Some(Sp::new(letter, text.span)),
            Err(message) => {
                self.invalid(text.span, message);
                None
            }
        }
    }

    pub(super) fn network_partition(&mut self, node: &Node, owner: Span) -> Option<NetworkPartition> {
        let f = self.fields(node, owner.clone(), "network_partition", &["ping"])?;
        let mut ping = Vec::new();
        if let Some(n) = self.required(&f, "ping") {
            let items = self.list(n, "ping");
            if items.is_empty() && matches!(n.kind, Kind::Seq(_) | Kind::Null) {
                self.invalid(f.key_span("ping").unwrap_or_default(), tr!(self.l, "decode.ping_empty"));
            }
            for item in items {
                ping.extend(self.ip(item, "ping target"));
            }
        }
        Some(NetworkPartition { ping, span: owner })
    }
}
