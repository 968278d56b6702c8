//! `domain-account-required`: a service account that must be `DOMAIN\user` (ExpressMail).

use crate::catalog::KeyKind;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::is_domain_account;
use crate::resolved::Cluster;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
                        Diagnostic::new(Code::DomainAccountRequired, account.span.clone(), format!("`{}` runs its services as a domain account, not `{}`", product.id, account.value))
                            .label("not DOMAIN\\user")
                            .help(format!("write the account with its domain, e.g. `CORP\\ExpressMail_User`, even on a domain controller; source: {}", spec.source)),
                    );
                }
            }
        }
    }
}
