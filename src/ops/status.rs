//! The dashboard (`recette status`, `recette demo`, the web's home page): the project, every
//! campaign (or one) with its indicators, anomalies by severity.

use serde::Serialize;

use crate::entities::Campaign;
use crate::error::Result;
use crate::indicators::{AnomalyCounts, CampaignIndicators};
use crate::store::Store;

/// One campaign of the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignDashboard {
    #[serde(flatten)]
    pub campaign: Campaign,
    pub indicators: CampaignIndicators,
}

/// The dashboard. Serialised as `status --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub project: String,
    pub requirements: usize,
    pub test_cases: usize,
    pub campaigns: Vec<CampaignDashboard>,
    pub anomalies: AnomalyCounts,
}

/// The dashboard over every campaign, or over `only`.
pub fn dashboard(store: &Store, only: Option<&str>) -> Result<Dashboard> {
    let campaigns = match only {
        Some(c) => vec![store.campaign(c)?],
        None => store.campaigns()?,
    };
    let mut rows = Vec::new();
    for c in campaigns {
        let tests = store.campaign_tests(&c.reference)?;
        rows.push(CampaignDashboard {
            indicators: CampaignIndicators::compute(&tests),
            campaign: c,
        });
    }
    let anomalies = store.anomalies()?;
    Ok(Dashboard {
        project: store.project_value("name")?.unwrap_or_default(),
        requirements: store.requirements()?.len(),
        test_cases: store.test_cases()?.len(),
        campaigns: rows,
        anomalies: AnomalyCounts::compute(&anomalies),
    })
}
