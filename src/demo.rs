//! `recette demo`: a realistic project built from data embedded in the binary — the acceptance
//! of a vehicle-registration system (SIV-NC) delivered in two versions.

use std::path::Path;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::automated::{import_results, AutomatedOptions};
use crate::model::{AnomalyStatus, Criticality, ExecStatus, Phase, Severity, Step, TestKind};
use crate::store::{
    AnomalyPatch, Assignment, Context, DeliveryPatch, ItemSelection, NewCampaign, NewDelivery,
    RegressionRule, RequirementPatch, RunInput, Selection, StepEdit, StepInput, Store,
    TestCasePatch, TestEdit, Tx,
};

/// Requirements: (ref, criticality, category, title, description).
const REQUIREMENTS: &[(&str, &str, &str, &str, &str)] = &[
    ("EXI-IMM-001", "critique", "Immatriculation", "Immatriculer un véhicule neuf", "Le système attribue un numéro d'immatriculation unique au format NC (6 chiffres + province) à tout véhicule neuf dont le dossier est complet."),
    ("EXI-IMM-002", "critique", "Immatriculation", "Contrôler l'unicité du numéro VIN", "Le système refuse l'immatriculation d'un véhicule dont le numéro VIN (17 caractères) est déjà enregistré, et affiche le dossier existant."),
    ("EXI-IMM-003", "majeure", "Immatriculation", "Immatriculer un véhicule importé", "Le système permet l'immatriculation d'un véhicule importé sur présentation du certificat de conformité et du quitus douanier."),
    ("EXI-IMM-004", "majeure", "Immatriculation", "Éditer le certificat d'immatriculation", "Le système produit le certificat d'immatriculation au format PDF/A, conforme au modèle réglementaire, dans les 5 secondes."),
    ("EXI-IMM-005", "mineure", "Immatriculation", "Réserver un numéro personnalisé", "L'usager peut réserver un numéro personnalisé disponible pour une durée de 30 jours."),
    ("EXI-IMM-006", "critique", "Immatriculation", "Calculer la taxe d'immatriculation", "Le système calcule la taxe selon la puissance fiscale, l'énergie et la province, selon le barème en vigueur à la date de la demande."),
    ("EXI-CES-001", "critique", "Cession", "Enregistrer une déclaration de cession", "Le vendeur déclare la cession en ligne ; le système horodate la déclaration et la notifie à l'acquéreur."),
    ("EXI-CES-002", "majeure", "Cession", "Changement de titulaire", "L'acquéreur demande le changement de titulaire dans les 30 jours suivant la cession ; le système émet un nouveau certificat."),
    ("EXI-CES-003", "majeure", "Cession", "Refuser la cession d'un véhicule gagé", "Le système bloque la cession d'un véhicule faisant l'objet d'un gage ou d'une opposition et en informe le vendeur."),
    ("EXI-CES-004", "mineure", "Cession", "Historique des titulaires", "L'agent consulte l'historique complet des titulaires d'un véhicule avec les dates de cession."),
    ("EXI-CT-001", "critique", "Contrôle technique", "Recevoir les résultats du contrôle technique", "Le système reçoit les procès-verbaux de contrôle technique des centres agréés par échange de fichiers sécurisé, au plus tard à J+1."),
    ("EXI-CT-002", "majeure", "Contrôle technique", "Bloquer un véhicule en contre-visite dépassée", "Un véhicule dont la contre-visite n'a pas été faite dans les 2 mois est signalé et ne peut pas être cédé."),
    ("EXI-CT-003", "mineure", "Contrôle technique", "Rappel d'échéance de contrôle", "Le système envoie un rappel par courriel 30 jours avant l'échéance du contrôle technique."),
    ("EXI-PAI-001", "critique", "Paiement", "Paiement en ligne sécurisé", "L'usager paie les taxes par carte bancaire via le télépaiement public (3-D Secure) ; aucune donnée de carte n'est conservée."),
    ("EXI-PAI-002", "critique", "Paiement", "Rapprochement des paiements", "Chaque paiement confirmé est rapproché de sa demande ; un paiement sans demande est signalé au régisseur."),
    ("EXI-PAI-003", "majeure", "Paiement", "Remboursement d'un trop-perçu", "Le régisseur déclenche le remboursement d'un trop-perçu ; l'opération est tracée."),
    ("EXI-PAI-004", "mineure", "Paiement", "Reçu de paiement", "L'usager reçoit un reçu de paiement par courriel et peut le télécharger depuis son espace."),
    ("EXI-SEC-001", "critique", "Sécurité", "Authentification forte des agents", "Les agents s'authentifient par mot de passe et second facteur ; 5 échecs consécutifs verrouillent le compte."),
    ("EXI-SEC-002", "critique", "Sécurité", "Habilitations par rôle", "Chaque action est soumise aux habilitations du rôle (guichetier, superviseur, régisseur, administrateur)."),
    ("EXI-SEC-003", "majeure", "Sécurité", "Journal des accès", "Toute consultation ou modification d'un dossier est journalisée (qui, quand, quoi) et conservée 5 ans."),
    ("EXI-SEC-004", "majeure", "Sécurité", "Protection des données personnelles", "Les données personnelles sont chiffrées au repos et l'usager peut exercer ses droits d'accès et de rectification."),
    ("EXI-PERF-001", "majeure", "Performance", "Temps de réponse des écrans", "95 % des écrans s'affichent en moins de 2 secondes avec 200 agents connectés."),
    ("EXI-PERF-002", "mineure", "Performance", "Traitement de masse nocturne", "Le traitement nocturne des retours de contrôle technique (50 000 PV) se termine en moins de 2 heures."),
    ("EXI-ACC-001", "majeure", "Accessibilité", "Conformité RGAA du portail usager", "Le portail usager respecte le RGAA 4.1 au niveau AA."),
    ("EXI-ACC-002", "mineure", "Accessibilité", "Portail bilingue", "Les écrans du portail usager existent en français et en anglais."),
    ("EXI-EXP-001", "majeure", "Exploitation", "Sauvegarde et restauration", "La base est sauvegardée chaque nuit ; une restauration complète est possible en moins de 4 heures."),
    ("EXI-EXP-002", "majeure", "Exploitation", "Supervision", "Les composants exposent leur état à l'outil de supervision du gouvernement."),
    ("EXI-EXP-003", "mineure", "Exploitation", "Purge des dossiers anciens", "Les dossiers clos depuis plus de 10 ans sont archivés puis purgés selon la politique d'archivage."),
    ("EXI-INT-001", "critique", "Interfaces", "Échange avec le fichier des permis", "Le système vérifie la validité du permis du titulaire auprès du fichier des permis de conduire."),
    ("EXI-INT-002", "majeure", "Interfaces", "Export statistique trimestriel", "Un export trimestriel anonymisé des immatriculations est produit pour l'institut de la statistique (ISEE)."),
];

/// Test cases: (ref, kind, tags, covers, title, steps "action => expected | ...").
const TESTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("CT-IMM-001", "manual", "smoke", "EXI-IMM-001", "Immatriculation d'un véhicule neuf complet", "Se connecter en guichetier => Le tableau de bord s'affiche | Saisir un dossier de véhicule neuf complet => Le dossier est accepté | Valider la demande => Un numéro au format NC est attribué"),
    ("CT-IMM-002", "manual", "", "EXI-IMM-001", "Immatriculation refusée pour dossier incomplet", "Saisir un dossier sans justificatif de domicile => Le système signale la pièce manquante | Tenter de valider => La validation est refusée"),
    ("CT-IMM-003", "manual", "smoke", "EXI-IMM-002", "Refus d'un VIN déjà enregistré", "Saisir un VIN déjà immatriculé => Un message indique le doublon | Ouvrir le lien proposé => Le dossier existant s'affiche"),
    ("CT-IMM-004", "manual", "", "EXI-IMM-002", "Contrôle du format du VIN", "Saisir un VIN de 16 caractères => Le format est refusé | Saisir un VIN contenant la lettre O => Le format est refusé"),
    ("CT-IMM-005", "manual", "", "EXI-IMM-003", "Immatriculation d'un véhicule importé", "Saisir un véhicule importé avec quitus douanier => Le dossier est accepté | Joindre le certificat de conformité => La pièce est enregistrée | Valider => Le numéro est attribué"),
    ("CT-IMM-006", "manual", "", "EXI-IMM-004", "Édition du certificat d'immatriculation", "Ouvrir un dossier immatriculé => Le dossier s'affiche | Éditer le certificat => Un PDF/A conforme est produit en moins de 5 s"),
    ("CT-IMM-007", "manual", "", "EXI-IMM-005", "Réservation d'un numéro personnalisé", "Rechercher un numéro disponible => Le numéro est proposé | Réserver le numéro => La réservation expire dans 30 jours"),
    ("CT-IMM-008", "manual", "calcul", "EXI-IMM-006", "Taxe d'un véhicule de ${puissance} CV en Province ${province}", "Saisir un véhicule ${energie} de ${puissance} CV immatriculé en Province ${province} => Le dossier est accepté | Calculer la taxe => La taxe affichée est de ${montant} F CFA (barème en vigueur)"),
    ("CT-IMM-009", "manual", "calcul", "EXI-IMM-006", "Taxe d'un véhicule électrique en Province Nord", "Saisir un véhicule électrique en Province Nord => L'exonération est appliquée"),
    ("CT-IMM-010", "manual", "calcul", "EXI-IMM-006", "Changement de barème au 1er janvier", "Saisir une demande datée du 31/12 => L'ancien barème s'applique | Saisir une demande datée du 01/01 => Le nouveau barème s'applique"),
    ("CT-CES-001", "manual", "smoke", "EXI-CES-001", "Déclaration de cession en ligne", "Se connecter en usager vendeur => L'espace usager s'affiche | Déclarer la cession => La déclaration est horodatée | Vérifier la boîte de l'acquéreur => La notification est reçue"),
    ("CT-CES-002", "manual", "", "EXI-CES-002", "Changement de titulaire dans le délai", "Demander le changement de titulaire à J+10 => La demande est acceptée | Payer la taxe => Un nouveau certificat est émis"),
    ("CT-CES-003", "manual", "", "EXI-CES-002", "Changement de titulaire hors délai", "Demander le changement de titulaire à J+45 => Une pénalité de retard est appliquée"),
    ("CT-CES-004", "manual", "", "EXI-CES-003", "Cession d'un véhicule gagé", "Déclarer la cession d'un véhicule gagé => La cession est bloquée | Consulter la notification au vendeur => Le motif du blocage est indiqué"),
    ("CT-CES-005", "manual", "", "EXI-CES-004", "Historique des titulaires", "Ouvrir l'historique d'un véhicule cédé 3 fois => Les 4 titulaires apparaissent avec leurs dates"),
    ("CT-CT-001", "automated", "interface", "EXI-CT-001", "Réception d'un lot de PV de contrôle technique", "Déposer un lot de 100 PV => Les 100 PV sont intégrés | Consulter un véhicule du lot => Le dernier contrôle apparaît"),
    ("CT-CT-002", "manual", "", "EXI-CT-002", "Blocage en contre-visite dépassée", "Simuler une contre-visite dépassée => Le véhicule est signalé | Tenter une cession => La cession est refusée"),
    ("CT-CT-003", "manual", "", "EXI-CT-003", "Rappel d'échéance de contrôle", "Avancer l'horloge à J-30 de l'échéance => Le courriel de rappel est envoyé"),
    ("CT-PAI-001", "manual", "smoke", "EXI-PAI-001", "Paiement par carte 3-D Secure", "Payer une taxe par carte => La redirection 3-D Secure a lieu | Confirmer le paiement => La demande passe au statut payé"),
    ("CT-PAI-002", "manual", "", "EXI-PAI-001", "Absence de conservation des données de carte", "Payer une taxe par carte => Le paiement aboutit | Inspecter la base et les journaux => Aucun numéro de carte n'est présent"),
    ("CT-PAI-003", "manual", "", "EXI-PAI-002", "Rapprochement automatique des paiements", "Lancer le rapprochement du jour => Chaque paiement est rapproché | Injecter un paiement orphelin => Le régisseur est alerté"),
    ("CT-PAI-004", "manual", "", "EXI-PAI-003", "Remboursement d'un trop-perçu", "Déclencher un remboursement => L'opération est tracée avec le nom du régisseur"),
    ("CT-PAI-005", "manual", "", "EXI-PAI-004", "Reçu de paiement", "Payer une taxe => Le reçu est envoyé par courriel | Télécharger le reçu depuis l'espace => Le PDF est conforme"),
    ("CT-SEC-001", "manual", "smoke", "EXI-SEC-001", "Authentification à deux facteurs", "Saisir identifiant et mot de passe => Le second facteur est demandé | Saisir le code reçu => L'accès est accordé"),
    ("CT-SEC-002", "manual", "", "EXI-SEC-001", "Verrouillage après 5 échecs", "Saisir 5 mots de passe faux => Le compte est verrouillé | Tenter un 6e essai correct => L'accès est refusé"),
    ("CT-SEC-003", "manual", "", "EXI-SEC-002", "Habilitations du guichetier", "Se connecter en guichetier => Le menu régie n'apparaît pas | Appeler l'URL de la régie => Un refus d'accès est renvoyé"),
    ("CT-SEC-004", "manual", "", "EXI-SEC-002", "Habilitations du superviseur", "Se connecter en superviseur => Les validations en attente s'affichent"),
    ("CT-SEC-005", "manual", "", "EXI-SEC-003", "Journalisation des consultations", "Consulter un dossier => Une trace est écrite | Ouvrir le journal des accès => La consultation apparaît avec l'agent et l'heure"),
    ("CT-SEC-006", "manual", "", "EXI-SEC-004", "Droit d'accès de l'usager", "Demander l'export de ses données => Un export complet est fourni"),
    ("CT-PERF-001", "automated", "performance", "EXI-PERF-001", "Tir de charge 200 agents", "Lancer le scénario de charge 200 agents => 95 % des écrans en moins de 2 s"),
    ("CT-PERF-002", "automated", "performance", "EXI-PERF-002", "Traitement nocturne de 50 000 PV", "Lancer le traitement sur 50 000 PV => Le traitement finit en moins de 2 h"),
    ("CT-ACC-001", "manual", "", "EXI-ACC-001", "Audit RGAA du portail", "Auditer les 15 pages de l'échantillon => Taux de conformité AA atteint"),
    ("CT-ACC-002", "manual", "", "EXI-ACC-002", "Portail en anglais", "Basculer le portail en anglais => Tous les libellés sont traduits"),
    ("CT-EXP-001", "manual", "exploitation", "EXI-EXP-001", "Restauration complète", "Restaurer la sauvegarde de la nuit => Le service redémarre en moins de 4 h avec les données de la veille"),
    ("CT-EXP-002", "manual", "exploitation", "EXI-EXP-002", "Remontée de supervision", "Arrêter le service d'édition => L'alerte apparaît dans la supervision"),
    ("CT-INT-001", "automated", "interface", "EXI-INT-001", "Vérification du permis du titulaire", "Saisir un titulaire au permis valide => Le contrôle est positif | Saisir un titulaire au permis suspendu => Le contrôle est négatif"),
    ("CT-INT-002", "manual", "interface", "EXI-INT-002", "Export trimestriel ISEE", "Lancer l'export du trimestre => Le fichier est produit sans donnée nominative"),
    ("CT-NR-001", "manual", "smoke,non-regression", "EXI-IMM-001,EXI-PAI-001", "Parcours complet : immatriculation et paiement", "Saisir un dossier complet => Le dossier est accepté | Payer la taxe => Le paiement est confirmé | Éditer le certificat => Le certificat est produit"),
    ("CT-NR-002", "manual", "non-regression", "EXI-CES-001,EXI-CES-002", "Parcours complet : cession et changement de titulaire", "Déclarer une cession => La déclaration est horodatée | Demander le changement de titulaire => Le nouveau certificat est émis"),
    ("CT-NR-003", "manual", "non-regression", "EXI-SEC-002,EXI-SEC-003", "Parcours superviseur avec journalisation", "Valider une demande en superviseur => La demande est validée | Consulter le journal => L'action est tracée"),
];

/// Anomalies: (ref, severity, title, found in).
const ANOMALIES: &[(&str, &str, &str, &str)] = &[
    (
        "FA-001",
        "bloquante",
        "Le calcul de la taxe ignore l'exonération des véhicules électriques",
        "LIV-1.0",
    ),
    (
        "FA-002",
        "majeure",
        "La cession d'un véhicule gagé n'est pas bloquée",
        "LIV-1.0",
    ),
    (
        "FA-003",
        "majeure",
        "Le compte n'est pas verrouillé après 5 échecs d'authentification",
        "LIV-1.0",
    ),
    (
        "FA-004",
        "mineure",
        "Libellés non traduits sur la page de paiement en anglais",
        "LIV-1.0",
    ),
    (
        "FA-005",
        "majeure",
        "Le certificat PDF n'est pas au format PDF/A",
        "LIV-1.0",
    ),
    (
        "FA-006",
        "bloquante",
        "Environnement de recette sans accès au fichier des permis",
        "LIV-1.0",
    ),
    (
        "FA-007",
        "mineure",
        "Le reçu de paiement affiche la date au format américain",
        "LIV-1.1",
    ),
];

/// Results of the first campaign that are not `passed`: (test, status, comment, anomalies).
const VABF1_NOT_PASSED: &[(&str, &str, &str, &str)] = &[
    (
        "CT-IMM-006",
        "KO",
        "PDF produit mais non conforme PDF/A (validation veraPDF en échec)",
        "FA-005",
    ),
    (
        "CT-IMM-009",
        "KO",
        "Taxe de 12 400 F calculée au lieu de l'exonération",
        "FA-001",
    ),
    (
        "CT-CES-004",
        "KO",
        "La cession aboutit malgré le gage inscrit",
        "FA-002",
    ),
    (
        "CT-SEC-002",
        "Non conforme",
        "Aucun verrouillage après 5 échecs",
        "FA-003",
    ),
    (
        "CT-ACC-002",
        "KO",
        "Page de paiement partiellement en français",
        "FA-004",
    ),
    (
        "CT-INT-001",
        "Bloqué",
        "Fichier des permis inaccessible depuis la recette",
        "FA-006",
    ),
    (
        "CT-PERF-002",
        "Bloqué",
        "Jeu de 50 000 PV non livré par le prestataire",
        "",
    ),
    (
        "CT-EXP-001",
        "Non passé",
        "Planifié la semaine prochaine avec l'exploitant",
        "",
    ),
    ("CT-EXP-002", "Non passé", "", ""),
    (
        "CT-ACC-001",
        "N/A",
        "Audit RGAA confié à un prestataire externe",
        "",
    ),
];

/// Automation keys of automated demo tests (`suite/class/name` of their results; a glob for
/// the parametrised load test). CT-CT-001 and CT-INT-001 are found by their `test_id` property.
const AUTOMATION_KEYS: &[(&str, &str)] = &[
    (
        "CT-PERF-001",
        "pytest/tests.perf.test_charge/test_charge_200_agents*",
    ),
    (
        "CT-PERF-002",
        "pytest/tests.perf.test_nocturne/test_traitement_50000_pv",
    ),
];

/// The JUnit file of the vendor's CI run on delivery 1.1, imported into VABF-2 (see
/// `fixtures/demo/README.md`).
const CI_JUNIT: &str = include_str!("../fixtures/demo/junit-vabf2-ci.xml");

/// Where the demo writes the CI results before importing them, inside its folder.
pub const CI_JUNIT_PATH: &str = "resultats-ci/junit-vabf2-ci.xml";

/// Tests whose VABF-2 result comes only from the CI import (no manual record).
const FROM_CI_ONLY: &[&str] = &["CT-CT-001"];

/// Testers of the demo: the first campaign is shared between the three, the second between
/// the first two (`campaign assign --spread`).
const TESTERS: &[&str] = &["Marie Wamytan", "Jean-Pierre Gope", "Sylvie Nouvel"];

/// The parametrised test of the demo and its data sets (name, values): each is planned and run
/// on its own.
const PARAMETRISED: &str = "CT-IMM-008";
const DATASETS: &[(&str, &[(&str, &str)])] = &[
    (
        "JDD-7CV-SUD",
        &[
            ("puissance", "7"),
            ("energie", "essence"),
            ("province", "Sud"),
            ("montant", "31 200"),
        ],
    ),
    (
        "JDD-11CV-NORD",
        &[
            ("puissance", "11"),
            ("energie", "diesel"),
            ("province", "Nord"),
            ("montant", "53 900"),
        ],
    ),
];

/// Who each planned item of a campaign was assigned to, from the assignment's outcome.
fn assignees(
    out: &crate::store::AssignOutcome,
) -> std::collections::HashMap<(String, String), String> {
    out.changes
        .iter()
        .map(|c| {
            (
                (c.test.clone(), c.dataset.clone().unwrap_or_default()),
                c.to.clone(),
            )
        })
        .collect()
}

fn patch_tx(tx: &mut Tx<'_>) -> Result<()> {
    for (r, crit, cat, title, desc) in REQUIREMENTS {
        tx.add_requirement(
            r,
            &RequirementPatch {
                title: Some((*title).into()),
                description: Some((*desc).into()),
                criticality: Some(Criticality::parse(crit)?),
                category: Some((*cat).into()),
                status: None,
                source: Some("CCTP SIV-NC v2.1".into()),
            },
        )?;
    }
    for (r, kind, tags, covers, title, steps) in TESTS {
        let steps: Vec<Step> = steps.split(" | ").map(Step::parse_cli).collect();
        tx.add_test_case(
            r,
            &TestCasePatch {
                title: Some((*title).into()),
                kind: Some(if *kind == "automated" {
                    TestKind::Automated
                } else {
                    TestKind::Manual
                }),
                steps: Some(steps),
                tags: Some(
                    tags.split(',')
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                active: Some(true),
                automation_key: AUTOMATION_KEYS
                    .iter()
                    .find(|(t, _)| t == r)
                    .map(|(_, k)| (*k).to_string()),
                ..TestCasePatch::default()
            },
        )?;
        for req in covers.split(',') {
            tx.add_link(req, r)?;
        }
    }
    for (name, values) in DATASETS {
        let values: crate::params::Values = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        tx.add_dataset(PARAMETRISED, name, &values)?;
    }
    Ok(())
}

/// Builds the demo project in `out` (its `recette.db`, replaced if present) and returns the
/// open store.
pub fn build(out: &Path, ctx: Context, _lang: Lang) -> Result<Store> {
    let signoffs = out.join("signoffs");
    if signoffs.exists() {
        std::fs::remove_dir_all(&signoffs).map_err(|e| Error::io(&signoffs, e))?;
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let db = out.join("recette.db");
    for suffix in ["", "-wal", "-shm"] {
        let p = out.join(format!("recette.db{suffix}"));
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
        }
    }
    // A fixed clock, so the demo is the same on every machine: the day after its last
    // campaign, or the user's clock when it is later (an earlier one would date the story's
    // executions in the future, which recording refuses).
    let ctx = Context {
        fixed_now: match ctx.fixed_now {
            Some(t) if t.as_str() >= STORY_NOW => Some(t),
            _ => Some(STORY_NOW.into()),
        },
        ..ctx
    };
    let mut store = Store::init(&db, ctx, "SIV-NC — Système d'immatriculation des véhicules")?;
    let strategy =
        crate::verdict::Strategy::from_toml(DEMO_STRATEGY, "fixtures/strategies/vabf.toml")?;
    store.write("demo", |tx| {
        patch_tx(tx)?;
        tx.set_project_value("contract", "2025-017")?;
        tx.set_project_value("contract_title", "Refonte du système d'immatriculation des véhicules (SIV-NC)")?;
        tx.set_project_value("buyer", "Gouvernement de la Nouvelle-Calédonie")?;
        tx.set_project_value("buyer_service", "Direction des infrastructures, de la topographie et des transports terrestres (DITTT)")?;
        tx.set_project_value("vendor", "Pacific Logiciels SARL")?;
        tx.set_project_value("signature_place", "Nouméa")?;
        tx.add_strategy(&strategy)?;
        tx.add_delivery(
            "LIV-1.0",
            &NewDelivery {
                version: "1.0.0".into(),
                vendor: "Pacific Logiciels SARL".into(),
                lot: "Lot 1 — Immatriculation".into(),
                planned_date: Some("2026-02-27".into()),
                delivered_date: Some("2026-03-02".into()),
                notes: "Première livraison complète pour VABF".into(),
            },
        )?;
        tx.add_delivery(
            "LIV-1.1",
            &NewDelivery {
                version: "1.1.0".into(),
                vendor: "Pacific Logiciels SARL".into(),
                lot: "Lot 1 — Immatriculation".into(),
                planned_date: Some("2026-03-20".into()),
                delivered_date: Some("2026-03-24".into()),
                notes: "Corrige FA-001, FA-002, FA-003, FA-005".into(),
            },
        )?;
        for (r, sev, title, found) in ANOMALIES {
            if *found == "LIV-1.0" {
                tx.add_anomaly(
                    r,
                    title,
                    Severity::parse(sev)?,
                    &AnomalyPatch {
                        found_in: Some((*found).into()),
                        ..AnomalyPatch::default()
                    },
                )?;
            }
        }
        // Campaign 1: VABF on delivery 1.0, every test.
        tx.add_campaign(
            "VABF-1",
            &NewCampaign {
                title: "VABF — livraison 1.0".into(),
                delivery: Some("LIV-1.0".into()),
                strategy: Some(strategy.reference.clone()),
                phase: Phase::Vabf,
                start_date: Some("2026-03-03".into()),
                end_date: Some("2026-03-13".into()),
            },
        )?;
        tx.select_tests(
            "VABF-1",
            &Selection {
                all: true,
                reason: "périmètre VABF".into(),
                ..Selection::default()
            },
        )?;
        // Its entry criteria are met (nothing carried over, no document pending): started.
        start_campaign(tx, "VABF-1", &strategy, false)?;
        // The lead shares the campaign between the three testers.
        let assigned = tx.assign(
            "VABF-1",
            &ItemSelection {
                all: true,
                ..ItemSelection::default()
            },
            &Assignment::Spread(TESTERS.iter().map(|t| t.to_string()).collect()),
        )?;
        let who = assignees(&assigned);
        for (i, (t, ..)) in TESTS.iter().enumerate() {
            let at = format!("2026-03-{:02}T{:02}:00:00", 3 + (i % 9), 8 + (i % 8));
            if *t == PARAMETRISED {
                // Each data set is run on its own: the 11 CV one stops at step 2 (the Province
                // Nord scale is not loaded in the test environment yet), so it is in progress.
                for (k, (name, _)) in DATASETS.iter().enumerate() {
                    let mut run = RunInput::status(ExecStatus::Passed);
                    run.status = None;
                    run.dataset = Some((*name).into());
                    run.tester = who.get(&(t.to_string(), name.to_string())).cloned();
                    run.executed_at = Some(at.clone());
                    run.steps = if k == 0 {
                        vec![
                            StepInput::new(1, ExecStatus::Passed),
                            StepInput {
                                index: 2,
                                status: ExecStatus::Passed,
                                actual: "31 200 F CFA".into(),
                            },
                        ]
                    } else {
                        run.comment = "Barème 2026 de la Province Nord absent de l'environnement de recette : étape 2 à reprendre".into();
                        vec![StepInput::new(1, ExecStatus::Passed)]
                    };
                    tx.record_execution("VABF-1", t, &run)?;
                }
                continue;
            }
            let mut run = RunInput::status(ExecStatus::Passed);
            run.tester = who.get(&(t.to_string(), String::new())).cloned();
            run.executed_at = Some(at);
            if let Some((_, st, comment, anomalies)) = VABF1_NOT_PASSED.iter().find(|x| x.0 == *t) {
                run.status = Some(ExecStatus::parse(st)?);
                run.comment = (*comment).into();
                run.anomalies = anomalies
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect();
                if run.status == Some(ExecStatus::Failed) {
                    // Record the failing step: the last one.
                    if let Some(tc) = tx.test_case(t)? {
                        let n = tc.steps.len() as u32;
                        run.steps = (1..=n)
                            .map(|k| {
                                StepInput::new(
                                    k,
                                    if k == n {
                                        ExecStatus::Failed
                                    } else {
                                        ExecStatus::Passed
                                    },
                                )
                            })
                            .collect();
                    }
                }
            }
            tx.record_execution("VABF-1", t, &run)?;
        }
        // A retest inside the first campaign: the tester re-ran CT-SEC-002 after a configuration fix.
        let mut run = RunInput::status(ExecStatus::Failed);
        run.tester = Some("Jean-Pierre Gope".into());
        run.executed_at = Some("2026-03-12T10:00:00".into());
        run.comment = "Toujours aucun verrouillage après correction de paramétrage".into();
        run.anomalies = vec!["FA-003".into()];
        tx.record_execution("VABF-1", "CT-SEC-002", &run)?;
        // After the first campaign the lead completes a test: the VIN format check gains a
        // step, which makes version 2 of CT-IMM-004 (its VABF-1 result keeps version 1).
        tx.edit_test_case(
            "CT-IMM-004",
            &TestEdit {
                step_edits: vec![StepEdit::Append(Step::parse_cli(
                    "Saisir un VIN de 18 caractères => Le format est refusé",
                ))],
                ..TestEdit::default()
            },
        )?;
        // The vendor delivers 1.1: it claims four fixes and one changed requirement, and comes
        // with its documents.
        // FA-002's lifecycle in full: the lead analyses it and assigns it to the vendor...
        tx.update_anomaly(
            "FA-002",
            &AnomalyPatch {
                status: Some(AnomalyStatus::Analysee),
                assignee: Some("Titulaire — équipe cessions".into()),
                ..AnomalyPatch::default()
            },
        )?;
        tx.comment_anomaly(
            "FA-002",
            "Le gage doit bloquer la cession dès la saisie, pas à la validation.",
            crate::entities::Visibility::Shared,
        )?;
        for a in ["FA-001", "FA-002", "FA-003", "FA-005"] {
            tx.claim_fix("LIV-1.1", a)?;
        }
        // ...the lead's check on arrival finds the 1.1 fix incomplete and reopens it, the vendor
        // completes the fix in 1.1, and the VABF-2 retest of CT-CES-004 will close it.
        tx.update_anomaly(
            "FA-002",
            &AnomalyPatch {
                status: Some(AnomalyStatus::Rouverte),
                comment: Some(
                    "Contrôle à réception de la 1.1 : le gage d'un véhicule en crédit-bail n'est toujours pas bloqué".into(),
                ),
                ..AnomalyPatch::default()
            },
        )?;
        tx.update_anomaly(
            "FA-002",
            &AnomalyPatch {
                status: Some(AnomalyStatus::Corrigee),
                fixed_in: Some("LIV-1.1".into()),
                comment: Some("Correctif complété dans la 1.1 (build 1.1.3)".into()),
                ..AnomalyPatch::default()
            },
        )?;
        tx.comment_anomaly(
            "FA-002",
            "Vérifier aussi le crédit-bail au retest.",
            crate::entities::Visibility::Internal,
        )?;
        tx.claim_requirement("LIV-1.1", "EXI-IMM-004", "changed")?;
        for (doc, state) in [
            ("Notes de version", "accepted"),
            ("Guide d'installation", "received"),
            ("Rapport de tests du prestataire", "expected"),
        ] {
            tx.set_document("LIV-1.1", doc, state, "")?;
        }
        tx.update_delivery(
            "LIV-1.1",
            &DeliveryPatch {
                known_issues: Some("FA-004 (traduction) reportée en 1.2".into()),
                ..DeliveryPatch::default()
            },
        )?;
        // The buyer's operations team opened the link to the licence register: the
        // environment anomaly is fixed on the buyer's side and waits for its retest.
        tx.update_anomaly(
            "FA-006",
            &AnomalyPatch {
                status: Some(AnomalyStatus::ARetester),
                ..AnomalyPatch::default()
            },
        )?;
        Ok(())
    })?;
    // Campaign 2: the retest and non-regression selection the tool proposes for delivery 1.1.
    let plan = store.retest_plan("LIV-1.1", &RegressionRule::default())?;
    store.write("demo", |tx| {
        tx.add_campaign(
            "VABF-2",
            &NewCampaign {
                title: "VABF — livraison 1.1 (retests et non-régression)".into(),
                delivery: Some("LIV-1.1".into()),
                strategy: Some(strategy.reference.clone()),
                phase: Phase::Vabf,
                start_date: Some("2026-03-25".into()),
                end_date: Some("2026-04-02".into()),
            },
        )?;
        for t in &plan {
            tx.select_tests(
                "VABF-2",
                &Selection {
                    tests: vec![t.reference.clone()],
                    reason: t.reasons.join(" ; "),
                    ..Selection::default()
                },
            )?;
        }
        // Entry criteria: FA-006 (the environment, fixed on the buyer's side) is still open and
        // waits for its retest in this very campaign, and two delivery documents are pending:
        // the lead starts it all the same, the override recorded (audit log, bilan).
        start_campaign(tx, "VABF-2", &strategy, true)?;
        // The vendor's CI ran the automated tests on 1.1 the first night: its JUnit file is
        // imported like `recette import --campaign VABF-2` does (written to the demo folder,
        // then read back), which links its results to test cases and requirements.
        let ci = out.join(CI_JUNIT_PATH);
        if let Some(parent) = ci.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&ci, CI_JUNIT).map_err(|e| Error::io(&ci, e))?;
        import_results(
            tx,
            "VABF-2",
            &[ci],
            &AutomatedOptions::default(),
            &mut |_| {},
        )?;
        // Everything passes but these; a passed retest closes its anomaly, a failed one reopens
        // it. CT-INT-001 passes in CI now that the permit register is reachable: FA-006 closes.
        let exceptions: &[(&str, &str, &str)] = &[
            ("CT-SEC-002", "KO", "Verrouillage au 6e échec au lieu du 5e"),
            (
                "CT-PERF-002",
                "Non passé",
                "Jeu de 50 000 PV attendu pour la livraison 1.2",
            ),
            (
                "CT-ACC-002",
                "KO",
                "Traduction reportée en 1.2 (anomalie connue)",
            ),
        ];
        // Manual tests are shared between two testers; the CI runs the automated ones.
        let manual: Vec<String> = plan
            .iter()
            .filter(|t| TESTS.iter().any(|x| x.0 == t.reference && x.1 == "manual"))
            .map(|t| t.reference.clone())
            .collect();
        let assigned = tx.assign(
            "VABF-2",
            &ItemSelection {
                tests: manual,
                ..ItemSelection::default()
            },
            &Assignment::Spread(vec![TESTERS[0].into(), TESTERS[2].into()]),
        )?;
        let who = assignees(&assigned);
        for (i, t) in plan.iter().enumerate() {
            let at = format!("2026-03-{:02}T{:02}:30:00", 25 + (i % 6), 8 + (i % 8));
            if t.reference == PARAMETRISED {
                for (name, values) in DATASETS {
                    let montant = values
                        .iter()
                        .find(|(k, _)| *k == "montant")
                        .map(|(_, v)| *v)
                        .unwrap_or_default();
                    let mut run = RunInput::status(ExecStatus::Passed);
                    run.status = None;
                    run.dataset = Some((*name).into());
                    run.tester = who.get(&(t.reference.clone(), name.to_string())).cloned();
                    run.executed_at = Some(at.clone());
                    run.steps = vec![
                        StepInput::new(1, ExecStatus::Passed),
                        StepInput {
                            index: 2,
                            status: ExecStatus::Passed,
                            actual: format!("{montant} F CFA"),
                        },
                    ];
                    tx.record_execution("VABF-2", &t.reference, &run)?;
                }
                continue;
            }
            let (st, comment) = exceptions
                .iter()
                .find(|x| x.0 == t.reference)
                .map(|x| (x.1, x.2))
                .unwrap_or(("OK", ""));
            let mut run = RunInput::status(ExecStatus::parse(st)?);
            run.tester = who
                .get(&(t.reference.clone(), String::new()))
                .cloned()
                .or_else(|| Some(TESTERS[1].into()));
            run.executed_at = Some(at);
            run.comment = comment.into();
            if t.reference == "CT-ACC-002" {
                run.anomalies = vec!["FA-004".into()];
            }
            if run.status != Some(ExecStatus::NotRun)
                && !FROM_CI_ONLY.contains(&t.reference.as_str())
            {
                tx.record_execution("VABF-2", &t.reference, &run)?;
            }
        }
        // The vendor enlarges the CI reception test after its nightly run (500 PV per lot):
        // version 2 of CT-CT-001, which its VABF-2 result did not run — the bilan says so.
        tx.edit_test_case(
            "CT-CT-001",
            &TestEdit {
                step_edits: vec![StepEdit::Set(
                    1,
                    Step::parse_cli("Déposer un lot de 500 PV => Les 500 PV sont intégrés"),
                )],
                ..TestEdit::default()
            },
        )?;
        let (r, sev, title, found) = ANOMALIES[6];
        tx.add_anomaly(
            r,
            title,
            Severity::parse(sev)?,
            &AnomalyPatch {
                found_in: Some(found.into()),
                ..AnomalyPatch::default()
            },
        )?;
        Ok(())
    })?;
    Ok(store)
}

/// The demo's clock: the day after its last campaign.
const STORY_NOW: &str = "2026-04-03T17:00:00Z";

/// Starts a campaign the way `recette campaign start` does (ops::campaign::start): its entry
/// criteria measured, started when no blocking one is unmet, or forced with the override
/// recorded.
fn start_campaign(
    tx: &mut crate::store::Tx<'_>,
    campaign: &str,
    strategy: &crate::verdict::Strategy,
    force: bool,
) -> Result<()> {
    let measures = tx.entry_measures(campaign, &strategy.smoke_tag)?;
    let checks = crate::verdict::check_entry(&strategy.entry_criteria, &measures);
    let blocked = crate::verdict::entry_blocked(&checks);
    if blocked && !force {
        return Err(Error::Other(format!(
            "démo : la campagne {campaign} ne remplit pas ses critères d'entrée"
        )));
    }
    let json = serde_json::to_value(&checks).map_err(|e| Error::Other(e.to_string()))?;
    tx.start_campaign(campaign, blocked, &json)
}

/// The demo's test strategy (also the example strategy file).
const DEMO_STRATEGY: &str = include_str!("../fixtures/strategies/vabf.toml");

/// The demo campaigns whose reports `recette demo` writes.
pub const DEMO_CAMPAIGNS: &[&str] = &["VABF-1", "VABF-2"];

/// Signs VABF-1 off as an ajournement (the story of the demo: delivery 1.0 was postponed and
/// 1.1 presented again), then writes the full report set of each demo campaign into
/// `<out>/rapports/`. Returns each campaign with its proposed decision.
pub fn write_reports(
    store: &mut Store,
    out: &Path,
    lang: Lang,
) -> Result<Vec<(String, crate::model::Decision)>> {
    crate::signoff::sign(
        store,
        &crate::signoff::SignRequest {
            campaign: "VABF-1".into(),
            decision: crate::model::Decision::Ajournement,
            reserves: Vec::new(),
            reservations: None,
            deadline: None,
            signatories: vec!["Claire Wahetra, cheffe de projet".into()],
            vendor_signatories: vec!["Marc Delorme, directeur de projet".into()],
            reports: None,
            comment: "Nouvelle présentation attendue sous 15 jours".into(),
            supersede: None,
            dry_run: false,
            lang,
        },
    )?;
    let dir = out.join("rapports");
    let mut decisions = Vec::new();
    for c in DEMO_CAMPAIGNS {
        let eval = crate::verdict::Evaluation::load(store, c)?;
        let signed = crate::report::latest_signoff(store, c)?;
        let opts = crate::report::Options {
            lang,
            formats: crate::report::Format::ALL.to_vec(),
            templates: None,
            issued_on: Some(store.context().now()),
        };
        crate::report::write_reports(&eval, &opts, &dir, signed.as_ref())?;
        decisions.push((c.to_string(), eval.verdict.decision));
    }
    // The steering-committee dashboard, dated the day after the last campaign.
    let now = store.context().now();
    let copil = crate::report::copil::build(store, lang, now.get(..10).unwrap_or(&now))?;
    crate::report::copil::write(&copil, None, &dir)?;
    Ok(decisions)
}
