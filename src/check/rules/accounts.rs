//! `domain-account-required`: a service account that must be `DOMAIN\user` (ExpressMail).

use crate::catalog::KeyKind;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::is_domain_account;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for group in &cluster.groups {
        for app in &group.apps {
            let Some(product) = app.product else { continue };
            for (key, spec) in &product.keys {
                if spec.kind != KeyKind::Account || !spec.domain {
                    continue;
                }
                let Some(account) = app.app.prop(key) else { continue };
                if !is_domain_account(&account.value) {
                    diags.push(
                        Diagnostic::new(
                            Code::DomainAccountRequired,
                            account.span.clone(),
                            tr!(l, "diag.account", product = product.id, account = account.value),
                        )
                        .label(tr!(l, "diag.account.label"))
                        .help(tr!(l, "diag.account.help", source = spec.source)),
                    );
                }
            }
        }
    }
}
