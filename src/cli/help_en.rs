//! English of the command line's descriptions (its doc comments are French): one entry per
//! text, sorted by the French (looked up by binary search). A command or option added without
//! its entry here fails `every_description_has_its_english`.

pub static TEXTS: &[(&str, &str)] = &[
    (
        "Accepte aussi l'admission avec réserves (code 0)",
        "Also accepts acceptance with reservations (code 0)",
    ),
    (
        "Adresse d'écoute (boucle locale par défaut ; port 0 : un port libre)",
        "Listen address (loopback by default; port 0: any free port)",
    ),
    (
        "Affiche ce qui changerait (créés, modifiés, inchangés, ignorés, erreurs) sans rien écrire",
        "Shows what would change (created, updated, unchanged, skipped, errors) without writing anything",
    ),
    (
        "Affiche ce qui changerait sans rien écrire",
        "Shows what would change without writing anything",
    ),
    (
        "Affiche chaque résultat en détail (trace d'échec, sortie standard, propriétés)",
        "Shows each result in detail (failure text, standard output, properties)",
    ),
    (
        "Affiche la correspondance détectée (TOML) sans rien importer",
        "Shows the detected mapping (TOML) without importing anything",
    ),
    (
        "Affiche la sélection et la raison de chaque test, sans rien écrire",
        "Shows the selection and the reason for each test, without writing anything",
    ),
    (
        "Affiche les essais d'un cas de test dans une campagne : statut, testeur, date, commentaire, version, chaque étape telle qu'exécutée avec son résultat obtenu, preuves, anomalies",
        "Shows the attempts of a test case in a campaign: status, tester, date, comment, version, each step as executed with its actual result, evidence, anomalies",
    ),
    (
        "Affiche un cas de test : étapes, jeux de données, versions (--version N : une ancienne)",
        "Shows a test case: steps, data sets, versions (--version N: an older one)",
    ),
    (
        "Affiche une anomalie : historique complet, commentaires, pièces jointes, exigences, exécutions",
        "Shows an anomaly: full history, comments, attachments, requirements, executions",
    ),
    (
        "Affiche une campagne : tests, derniers résultats, indicateurs, avancement par testeur",
        "Shows a campaign: tests, latest results, indicators, progress by tester",
    ),
    (
        "Affiche une exigence, ses tests liés et ses révisions",
        "Shows a requirement, its linked tests and its revisions",
    ),
    (
        "Affiche une livraison : anomalies corrigées annoncées, exigences livrées, documents, délai de décision",
        "Shows a delivery: claimed fixed anomalies, delivered requirements, documents, decision deadline",
    ),
    (
        "Affiche une stratégie et ses critères (DEFAUT : la stratégie par défaut)",
        "Shows a strategy and its criteria (DEFAUT: the default strategy)",
    ),
    (
        "Ajoute des cas de test à une campagne (par référence, criticité, étiquette, exigence), chacun avec chacun de ses jeux de données",
        "Adds test cases to a campaign (by reference, criticality, tag, requirement), each with each of its data sets",
    ),
    (
        "Ajoute un cas de test",
        "Adds a test case",
    ),
    (
        "Ajoute un critère de sortie, ex. \"open_bloquante = 0\" ou \"execution_rate >= 95\"",
        "Adds an exit criterion, e.g. \"open_bloquante = 0\" or \"execution_rate >= 95\"",
    ),
    (
        "Ajoute un jeu de données : recette test dataset add CT-001 JDD-7CV --param cv=7",
        "Adds a data set: recette test dataset add CT-001 JDD-7CV --param cv=7",
    ),
    (
        "Ajoute une exigence",
        "Adds a requirement",
    ),
    (
        "Ajoute une exigence couverte (répétable)",
        "Adds a covered requirement (repeatable)",
    ),
    (
        "Ajoute une étape à la fin (répétable)",
        "Appends a step (repeatable)",
    ),
    (
        "Ajoute une étiquette (répétable)",
        "Adds a tag (repeatable)",
    ),
    (
        "Anomalie corrigée (répétable)",
        "Fixed anomaly (repeatable)",
    ),
    (
        "Anomalie liée (répétable)",
        "Linked anomaly (repeatable)",
    ),
    (
        "Anomalie que la livraison corrige (répétable) : elle passe « à retester »",
        "Anomaly fixed by the delivery (repeatable): it moves to \"to retest\"",
    ),
    (
        "Anomalies",
        "Anomalies",
    ),
    (
        "Anomalies : add, list, set",
        "Anomalies: add, list, set",
    ),
    (
        "Anomalies connues livrées avec la version",
        "Known issues shipped with the version",
    ),
    (
        "Applique les lignes valides et liste les lignes refusées (sinon une erreur refuse tout)",
        "Applies the valid rows and lists the rejected ones (otherwise one error rejects everything)",
    ),
    (
        "Associe une stratégie à une campagne",
        "Attaches a strategy to a campaign",
    ),
    (
        "Attribue (ou réattribue) à ce testeur",
        "Assigns (or reassigns) to this tester",
    ),
    (
        "Attribue des tests de la campagne à un testeur (--to), les répartit (--spread A,B,C) ou retire l'attribution (--unassign)",
        "Assigns campaign tests to a tester (--to), spreads them (--spread A,B,C) or removes the assignment (--unassign)",
    ),
    (
        "Auteur (compte qui a fait la modification)",
        "Author (account that made the change)",
    ),
    (
        "Auteur des modifications (journal d'audit). Défaut : $RECETTE_USER, sinon l'utilisateur système",
        "Author of the changes (audit log). Default: $RECETTE_USER, else the system user",
    ),
    (
        "Base recette (fichier SQLite). Défaut : $RECETTE_DB, sinon ./recette.db",
        "Recette database (SQLite file). Default: $RECETTE_DB, else ./recette.db",
    ),
    (
        "Bordereau de livraison (xlsx, xls, ods, csv)",
        "Delivery note (xlsx, xls, ods, csv)",
    ),
    (
        "Campagne",
        "Campaign",
    ),
    (
        "Campagne de retest et de non-régression de la livraison : sélectionne les tests des anomalies qu'elle corrige, des exigences qu'elle livre ou modifie, et la non-régression",
        "Retest and non-regression campaign for the delivery: selects the tests of the anomalies it fixes, of the requirements it delivers or changes, and the non-regression tests",
    ),
    (
        "Campagne qui reçoit les résultats",
        "Campaign that receives the results",
    ),
    (
        "Campagne, ou « copil » pour le tableau de bord du comité de pilotage (toutes livraisons et campagnes : copil.html et copil.xlsx)",
        "Campaign, or \"copil\" for the steering committee (COPIL) dashboard (all deliveries and campaigns: copil.html and copil.xlsx)",
    ),
    (
        "Campagnes (chacune sélectionne tous les cas de test)",
        "Campaigns (each selects all test cases)",
    ),
    (
        "Campagnes de recette : create, add, assign, list, show, sheet",
        "Acceptance campaigns: create, add, assign, list, show, sheet",
    ),
    (
        "Cas de test",
        "Test cases",
    ),
    (
        "Cas de test : add, list, show, edit, retire, restore, history, dataset",
        "Test cases: add, list, show, edit, retire, restore, history, dataset",
    ),
    (
        "Cas de test par référence (répétable)",
        "Test case by reference (repeatable)",
    ),
    (
        "Catégorie",
        "Category",
    ),
    (
        "Catégorie ou lot",
        "Category or lot",
    ),
    (
        "Certificat TLS (PEM) pour servir en HTTPS",
        "TLS certificate (PEM) to serve over HTTPS",
    ),
    (
        "Change le mot de passe d'un compte (et termine ses sessions)",
        "Changes an account's password (and ends its sessions)",
    ),
    (
        "Change le rôle d'un compte (et termine ses sessions)",
        "Changes an account's role (and ends its sessions)",
    ),
    (
        "Change un critère (règle, bloquant, libellé) sans réimporter la stratégie",
        "Changes a criterion (rule, blocking, label) without reimporting the strategy",
    ),
    (
        "Change une anomalie : champs, statut (selon son cycle de vie), affectation, exigences",
        "Changes an anomaly: fields, status (as its lifecycle allows), assignee, requirements",
    ),
    (
        "Classeur du projet (exigences, cas de test et étapes, traçabilité, derniers résultats, anomalies), relisible par « recette import »",
        "Project workbook (requirements, test cases and steps, traceability, latest results, anomalies), readable by \"recette import\"",
    ),
    (
        "Clé d'automatisation (suite/classe/nom, jokers * acceptés)",
        "Automation key (suite/class/name, * wildcards allowed)",
    ),
    (
        "Clé d'automatisation (vide : aucune)",
        "Automation key (empty: none)",
    ),
    (
        "Clé privée TLS (PEM)",
        "TLS private key (PEM)",
    ),
    (
        "Commentaire",
        "Comment",
    ),
    (
        "Commentaire (preuve de correction, version...)",
        "Comment (evidence of the fix, version...)",
    ),
    (
        "Commentaire interne, jamais montré au titulaire (défaut)",
        "Internal comment, never shown to the vendor (default)",
    ),
    (
        "Commentaire partagé avec le titulaire",
        "Comment shared with the vendor",
    ),
    (
        "Commente une anomalie (interne par défaut : jamais montré au titulaire)",
        "Comments on an anomaly (internal by default: never shown to the vendor)",
    ),
    (
        "Comptes de l'espace d'équipe : add, list, passwd, role, disable, enable",
        "Team space accounts: add, list, passwd, role, disable, enable",
    ),
    (
        "Construit un projet de démonstration complet (immatriculation de véhicules)",
        "Builds a complete demo project (vehicle registration)",
    ),
    (
        "Cookies marqués Secure sans TLS intégré (derrière un mandataire HTTPS)",
        "Marks cookies Secure without built-in TLS (behind an HTTPS proxy)",
    ),
    (
        "Copie un fichier de preuve, désigné par son empreinte sha256 (ou son début) ou son nom",
        "Copies an evidence file, given by its sha256 hash (or its beginning) or its name",
    ),
    (
        "Correspondance des attributs ReqIF (TOML)",
        "ReqIF attribute mapping (TOML)",
    ),
    (
        "Correspondance des colonnes (TOML, produit par --print-mapping puis corrigé)",
        "Column mapping (TOML, produced by --print-mapping then corrected)",
    ),
    (
        "Criticité : critique, majeure, mineure (ou haute, moyenne, basse...)",
        "Criticality: critical, major, minor (or high, medium, low...)",
    ),
    (
        "Critère d'entrée, vérifié par « campaign start » (documents_not_accepted, smoke_passed_rate, smoke_not_passed, carried_open_anomalies, carried_open_<sévérité>)",
        "Entry criterion, checked by \"campaign start\" (documents_not_accepted, smoke_passed_rate, smoke_not_passed, carried_open_anomalies, carried_open_<severity>)",
    ),
    (
        "Critère non bloquant (son échec donne une réserve, pas un ajournement)",
        "Non-blocking criterion (failing it gives a reservation, not a postponement)",
    ),
    (
        "Crée ou remplace une stratégie et ses critères depuis un fichier TOML",
        "Creates or replaces a strategy and its criteria from a TOML file",
    ),
    (
        "Crée un cas de test automatisé pour chaque résultat qui ne correspond à rien",
        "Creates an automated test case for each result that matches nothing",
    ),
    (
        "Crée un compte (mot de passe demandé au terminal, ou lu sur l'entrée standard)",
        "Creates an account (password prompted on the terminal, or read from standard input)",
    ),
    (
        "Crée un jeton d'API pour un compte et l'affiche une seule fois (seule son empreinte est gardée)",
        "Creates an API token for an account and shows it only once (only its hash is kept)",
    ),
    (
        "Crée une base recette vide",
        "Creates an empty recette database",
    ),
    (
        "Crée une campagne de recette",
        "Creates an acceptance campaign",
    ),
    (
        "Crée une stratégie de recette (phase, ajournements admis, délai de levée des réserves)",
        "Creates an acceptance strategy (phase, postponements allowed, deadline for lifting reservations)",
    ),
    (
        "Date d'exécution (défaut : maintenant)",
        "Execution date (default: now)",
    ),
    (
        "Date de début",
        "Start date",
    ),
    (
        "Date de fin",
        "End date",
    ),
    (
        "Date de livraison effective",
        "Actual delivery date",
    ),
    (
        "Date prévue",
        "Planned date",
    ),
    (
        "Date prévue (AAAA-MM-JJ ou JJ/MM/AAAA)",
        "Planned date (YYYY-MM-DD or DD/MM/YYYY)",
    ),
    (
        "Description",
        "Description",
    ),
    (
        "Description (énoncé)",
        "Description (statement)",
    ),
    (
        "Document attendu avec la livraison (répétable)",
        "Document expected with the delivery (repeatable)",
    ),
    (
        "Document source (CCTP, spécification...)",
        "Source document (CCTP, specification...)",
    ),
    (
        "Donne ou change la valeur d'un paramètre « nom=valeur » (répétable)",
        "Sets or changes the value of a parameter \"name=value\" (repeatable)",
    ),
    (
        "Dossier de modèles : un fichier du même nom (bilan.html, bilan.md, pv.html, style.css) remplace le modèle intégré",
        "Templates folder: a file with the same name (bilan.html, bilan.md, pv.html, style.css) replaces the built-in template",
    ),
    (
        "Dossier de modèles remplaçant ceux intégrés (même nom de fichier)",
        "Templates folder replacing the built-in ones (same file name)",
    ),
    (
        "Dossier de rapports déjà produits à sceller (défaut : le jeu complet est produit dans <dossier de la base>/signoffs/<campagne>-<n>/)",
        "Folder of already produced reports to seal (default: the full set is produced in <database folder>/signoffs/<campaign>-<n>/)",
    ),
    (
        "Dossier de sortie",
        "Output folder",
    ),
    (
        "Dossier de sortie (base recette.db et rapports)",
        "Output folder (recette.db database and reports)",
    ),
    (
        "Durée d'inactivité après laquelle une session se termine, en secondes",
        "Idle time after which a session ends, in seconds",
    ),
    (
        "Décision prononcée : admission, reserves, ajournement, rejet, refaction",
        "Decision made: acceptance, reserves, postponement, rejection, refaction",
    ),
    (
        "Déclare une anomalie",
        "Records an anomaly",
    ),
    (
        "Délai de levée des réserves, en jours après la fin de campagne",
        "Deadline for lifting reservations, in days after the end of the campaign",
    ),
    (
        "Démarre la campagne après avoir vérifié les critères d'entrée de sa stratégie (refusé s'il en manque un bloquant, sauf --force, consigné au journal et dans le bilan)",
        "Starts the campaign after checking its strategy's entry criteria (refused if a blocking one is not met, unless --force, recorded in the log and in the acceptance report)",
    ),
    (
        "Démarrer malgré des critères d'entrée bloquants non remplis (dérogation consignée)",
        "Start despite unmet blocking entry criteria (waiver recorded)",
    ),
    (
        "Désactive un compte (ses sessions et jetons cessent de fonctionner)",
        "Disables an account (its sessions and tokens stop working)",
    ),
    (
        "Empreinte sha256 (6 caractères au moins) ou nom du fichier",
        "sha256 hash (at least 6 characters) or file name",
    ),
    (
        "Enregistre ce que la livraison annonce : anomalies corrigées, exigences livrées ou modifiées",
        "Records what the delivery claims: fixed anomalies, delivered or changed requirements",
    ),
    (
        "Enregistre le résultat d'un cas de test dans une campagne",
        "Records the result of a test case in a campaign",
    ),
    (
        "Enregistre une livraison (version livrée par le prestataire)",
        "Records a delivery (version delivered by the vendor)",
    ),
    (
        "Essai sur lequel la saisie se fonde (0 : aucun) : refusé si un essai plus récent existe",
        "Attempt the entry is based on (0: none): refused if a newer attempt exists",
    ),
    (
        "Exigence concernée (répétable)",
        "Requirement concerned (repeatable)",
    ),
    (
        "Exigence concernée à lier (répétable)",
        "Requirement concerned to link (repeatable)",
    ),
    (
        "Exigence couverte (répétable) : crée le lien",
        "Covered requirement (repeatable): creates the link",
    ),
    (
        "Exigence livrée (répétable)",
        "Delivered requirement (repeatable)",
    ),
    (
        "Exigence modifiée (répétable)",
        "Changed requirement (repeatable)",
    ),
    (
        "Exigences",
        "Requirements",
    ),
    (
        "Exigences : add, list, show, edit",
        "Requirements: add, list, show, edit",
    ),
    (
        "Exigences au format ReqIF 1.2 (DOORS, Polarion, Capella...), avec leur couverture et leur dernier statut en attributs, pour que l'outil d'exigences reprenne les résultats",
        "Requirements in ReqIF 1.2 format (DOORS, Polarion, Capella...), with their coverage and latest status as attributes, so the requirements tool can take up the results",
    ),
    (
        "Exporte le projet en classeur (relisible par « recette import »)",
        "Exports the project as a workbook (readable by \"recette import\")",
    ),
    (
        "Exécutions (réparties sur les campagnes)",
        "Executions (spread across campaigns)",
    ),
    (
        "Exécutions d'un cas de test dans toutes les campagnes et livraisons",
        "Executions of a test case across all campaigns and deliveries",
    ),
    (
        "Exécutions relues telles qu'elles ont été faites : show",
        "Executions read back as they were done: show",
    ),
    (
        "Fichier .reqif à écrire",
        ".reqif file to write",
    ),
    (
        "Fichier .xlsx à écrire",
        ".xlsx file to write",
    ),
    (
        "Fichier TOML (voir fixtures/strategies/)",
        "TOML file (see fixtures/strategies/)",
    ),
    (
        "Fichier de preuve (copié dans la base par empreinte ; répétable)",
        "Evidence file (copied into the database by hash; repeatable)",
    ),
    (
        "Fichier de sauvegarde à créer",
        "Backup file to create",
    ),
    (
        "Fichier à contrôler (rapport, PV...)",
        "File to check (report, PV...)",
    ),
    (
        "Fichier à joindre",
        "File to attach",
    ),
    (
        "Fichier à écrire",
        "File to write",
    ),
    (
        "Fichiers de preuve : get",
        "Evidence files: get",
    ),
    (
        "Fichiers, dossiers ou motifs (glob) : classeurs, CSV, résultats automatisés, ReqIF, TestLink, Squash TM",
        "Files, folders or glob patterns: workbooks, CSV, automated results, ReqIF, TestLink, Squash TM",
    ),
    (
        "Filtre par catégorie",
        "Filter by category",
    ),
    (
        "Filtre par criticité",
        "Filter by criticality",
    ),
    (
        "Filtre par étiquette",
        "Filter by tag",
    ),
    (
        "Fixe l'état d'un document attendu avec la livraison (attendu, reçu, accepté, refusé)",
        "Sets the state of a document expected with the delivery (expected, received, accepted, refused)",
    ),
    (
        "Format : auto (défaut), junit, robot, nunit3, nunit2, trx, xunit, testng, ctrf",
        "Format: auto (default), junit, robot, nunit3, nunit2, trx, xunit, testng, ctrf",
    ),
    (
        "Formats, séparés par des virgules : html, md, xlsx, pv, pdf (le bilan et le PV en PDF/A)",
        "Comma-separated formats: html, md, xlsx, pv, pdf (the bilan and the PV as PDF/A)",
    ),
    (
        "Génère une grande base synthétique pour les mesures de performance",
        "Generates a large synthetic database for performance measurements",
    ),
    (
        "Identifiant du compte",
        "Account login",
    ),
    (
        "Importe des fichiers : classeurs du prestataire (xlsx, ods, csv), résultats automatisés (JUnit, Robot Framework, NUnit, TRX, xUnit, TestNG, CTRF), ReqIF, TestLink, Squash TM",
        "Imports files: vendor workbooks (xlsx, ods, csv), automated results (JUnit, Robot Framework, NUnit, TRX, xUnit, TestNG, CTRF), ReqIF, TestLink, Squash TM",
    ),
    (
        "Importe le bordereau de livraison (xlsx, ods, csv) : anomalies corrigées (passent « à retester »), exigences livrées ou modifiées, documents, version et date",
        "Imports the delivery note (xlsx, ods, csv): fixed anomalies (moved to \"to retest\"), delivered or changed requirements, documents, version and date",
    ),
    (
        "Importe les lignes valides et liste les lignes refusées (sinon une erreur refuse tout)",
        "Imports the valid rows and lists the rejected ones (otherwise one error rejects everything)",
    ),
    (
        "Indicateurs qualité du prestataire, par livraison",
        "Vendor quality indicators, by delivery",
    ),
    (
        "Insère une étape à la position N : « N=action => résultat attendu » (répétable)",
        "Inserts a step at position N: \"N=action => expected result\" (repeatable)",
    ),
    (
        "Intitulé",
        "Title",
    ),
    (
        "Jetons d'API : create",
        "API tokens: create",
    ),
    (
        "Jeu de données exécuté (quand le cas de test en a plusieurs dans la campagne)",
        "Data set executed (when the test case has several in the campaign)",
    ),
    (
        "Jeux de données d'un cas de test paramétré (${paramètre} dans ses textes) : add, list, edit, rm",
        "Data sets of a parameterised test case (${parameter} in its texts): add, list, edit, rm",
    ),
    (
        "Joint un fichier à une anomalie (capture, journal...)",
        "Attaches a file to an anomaly (screenshot, log...)",
    ),
    (
        "Journal d'audit",
        "Audit log",
    ),
    (
        "Jours pour notifier la décision après livraison (défaut : réglage du projet, 30)",
        "Days to notify the decision after delivery (default: project setting, 30)",
    ),
    (
        "La campagne est déjà signée : motif du nouveau PV, qui remplace le dernier (l'ancien reste)",
        "The campaign is already signed: reason for the new PV, which replaces the last one (the old one is kept)",
    ),
    (
        "Langue des messages et rapports : fr (défaut) ou en",
        "Language of messages and reports: fr (default) or en",
    ),
    (
        "Langue des pages : fr (défaut) ou en",
        "Language of the pages: fr (default) or en",
    ),
    (
        "Le rendre bloquant",
        "Make it blocking",
    ),
    (
        "Le rendre non bloquant",
        "Make it non-blocking",
    ),
    (
        "Les cas de test liés à cette exigence (répétable)",
        "The test cases linked to this requirement (repeatable)",
    ),
    (
        "Les cas de test liés à une exigence de cette criticité (répétable)",
        "The test cases linked to a requirement of this criticality (repeatable)",
    ),
    (
        "Les cas de test portant cette étiquette (répétable)",
        "The test cases with this tag (repeatable)",
    ),
    (
        "Libellé affiché dans les rapports",
        "Label shown in reports",
    ),
    (
        "Libellé du jeton (ex. « CI Jenkins »)",
        "Token label (e.g. \"CI Jenkins\")",
    ),
    (
        "Lie un cas de test à une exigence (à sa révision courante)",
        "Links a test case to a requirement (at its current revision)",
    ),
    (
        "Liens exigence <-> cas de test : add, rm, list, review",
        "Requirement <-> test case links: add, rm, list, review",
    ),
    (
        "Liste les anomalies",
        "Lists anomalies",
    ),
    (
        "Liste les campagnes",
        "Lists campaigns",
    ),
    (
        "Liste les cas de test",
        "Lists test cases",
    ),
    (
        "Liste les comptes",
        "Lists accounts",
    ),
    (
        "Liste les exigences",
        "Lists requirements",
    ),
    (
        "Liste les jetons (numéro, compte, libellé, création, dernier usage, expiration, état)",
        "Lists tokens (number, account, label, creation, last use, expiry, state)",
    ),
    (
        "Liste les jeux de données d'un cas de test",
        "Lists the data sets of a test case",
    ),
    (
        "Liste les liens (les liens suspects sont signalés)",
        "Lists links (suspect links are flagged)",
    ),
    (
        "Liste les livraisons",
        "Lists deliveries",
    ),
    (
        "Liste les réserves des PV signés",
        "Lists the reservations of signed PVs",
    ),
    (
        "Liste les stratégies",
        "Lists strategies",
    ),
    (
        "Lit le mot de passe sur l'entrée standard (première ligne)",
        "Reads the password from standard input (first line)",
    ),
    (
        "Livraison",
        "Delivery",
    ),
    (
        "Livraison concernée",
        "Delivery concerned",
    ),
    (
        "Livraison de correction",
        "Fix delivery",
    ),
    (
        "Livraison où elle a été trouvée",
        "Delivery in which it was found",
    ),
    (
        "Livraison testée",
        "Delivery under test",
    ),
    (
        "Livraison testée (une campagne IMPORT-<livraison> est créée si --campaign manque)",
        "Delivery under test (an IMPORT-<delivery> campaign is created if --campaign is missing)",
    ),
    (
        "Livraisons du prestataire : add, list",
        "Vendor deliveries: add, list",
    ),
    (
        "Lot du marché",
        "Contract lot",
    ),
    (
        "Lève une réserve (enregistrement daté ; le PV signé reste inchangé)",
        "Lifts a reservation (dated record; the signed PV stays unchanged)",
    ),
    (
        "Modifie les valeurs ou le nom d'un jeu de données",
        "Changes the values or the name of a data set",
    ),
    (
        "Modifie un cas de test ; changer les étapes, les prérequis ou l'objectif crée une version",
        "Edits a test case; changing the steps, prerequisites or objective creates a version",
    ),
    (
        "Modifie une exigence (un changement de texte crée une révision et rend ses liens suspects)",
        "Edits a requirement (a text change creates a revision and makes its links suspect)",
    ),
    (
        "Modifie une livraison (dates, version, anomalies connues, délai de décision)",
        "Edits a delivery (dates, version, known issues, decision deadline)",
    ),
    (
        "Montre ce qui serait retiré, sans rien changer",
        "Shows what would be removed, without changing anything",
    ),
    (
        "Montre exactement ce qui serait scellé (décision, réserves, signataires, fichiers et empreintes) sans rien enregistrer",
        "Shows exactly what would be sealed (decision, reservations, signatories, files and hashes) without recording anything",
    ),
    (
        "Motif (expression régulière) des identifiants d'exigence et de cas de test dans les résultats",
        "Pattern (regular expression) of requirement and test case identifiers in the results",
    ),
    (
        "Nom complet",
        "Full name",
    ),
    (
        "Nom du document (ex. « Notes de version »)",
        "Document name (e.g. \"Release notes\")",
    ),
    (
        "Nom du jeu de données",
        "Data set name",
    ),
    (
        "Nom du projet",
        "Project name",
    ),
    (
        "Nombre d'ajournements admis avant de proposer le rejet",
        "Number of postponements allowed before proposing rejection",
    ),
    (
        "Nombre d'entrées (les plus récentes)",
        "Number of entries (the most recent)",
    ),
    (
        "Non-régression : criticités d'exigence dont tous les tests sont repris (défaut : critique)",
        "Non-regression: requirement criticalities whose tests are all rerun (default: critical)",
    ),
    (
        "Non-régression : ne pas reprendre les tests en échec ou bloqués de la campagne précédente",
        "Non-regression: do not rerun the failed or blocked tests of the previous campaign",
    ),
    (
        "Non-régression : étiquettes dont tous les tests sont repris (défaut : non-regression)",
        "Non-regression: tags whose tests are all rerun (default: non-regression)",
    ),
    (
        "Notes",
        "Notes",
    ),
    (
        "Nouveau libellé",
        "New label",
    ),
    (
        "Nouveau nom (suit le jeu dans les campagnes et les exécutions)",
        "New name (follows the data set in campaigns and executions)",
    ),
    (
        "Nouveau rôle : admin, lead, tester, vendor, viewer",
        "New role: admin, lead, tester, vendor, viewer",
    ),
    (
        "Nouvel intitulé",
        "New title",
    ),
    (
        "Nouvelle règle, ex. \"open_majeure <= 3\"",
        "New rule, e.g. \"open_majeure <= 3\"",
    ),
    (
        "Nouvelle valeur (sans valeur : affiche la valeur)",
        "New value (without a value: shows the value)",
    ),
    (
        "Numéro du critère (à partir de 1)",
        "Criterion number (from 1)",
    ),
    (
        "Numéro du critère (à partir de 1, comme « strategy show »)",
        "Criterion number (from 1, as in \"strategy show\")",
    ),
    (
        "Numéro du jeton (colonne « N° » de `token list`)",
        "Token number (\"No.\" column of `token list`)",
    ),
    (
        "Objectif",
        "Objective",
    ),
    (
        "Page de manuel (man, format roff), sur la sortie",
        "Manual page (man, roff format), to standard output",
    ),
    (
        "Phase : VABF, VSR, non-régression, intégration",
        "Phase: VABF, VSR, non-regression, integration",
    ),
    (
        "Porte de qualité pour l'intégration continue : code 0 si admission, 1 sinon, 3 si elle ne peut être évaluée",
        "Quality gate for continuous integration: code 0 on acceptance, 1 otherwise, 3 if it cannot be evaluated",
    ),
    (
        "Pourquoi (gardé dans le journal et affiché)",
        "Why (kept in the log and shown)",
    ),
    (
        "Pourquoi le statut change (obligatoire pour rouvrir ou rejeter)",
        "Why the status changes (required to reopen or reject)",
    ),
    (
        "Prestataire",
        "Vendor",
    ),
    (
        "Priorité",
        "Priority",
    ),
    (
        "Produit le bilan de recette (HTML, Markdown), la matrice (xlsx) et le PV (HTML)",
        "Produces the acceptance report (HTML, Markdown), the matrix (xlsx) and the PV (HTML)",
    ),
    (
        "Préfixe des références de cas de test TestLink (ex. SIV donne SIV-10 pour l'identifiant externe 10)",
        "Prefix of TestLink test case references (e.g. SIV gives SIV-10 for external ID 10)",
    ),
    (
        "Prérequis",
        "Prerequisites",
    ),
    (
        "Prérequis (préconditions), ${paramètre} accepté",
        "Prerequisites (preconditions), ${parameter} allowed",
    ),
    (
        "Périmètre (texte libre)",
        "Scope (free text)",
    ),
    (
        "Qui doit la traiter (\"\" pour personne)",
        "Who must handle it (\"\" for nobody)",
    ),
    (
        "Qui doit la traiter (souvent le titulaire)",
        "Who must handle it (often the vendor)",
    ),
    (
        "Remplace l'étape N : « N=action => résultat attendu » (répétable)",
        "Replaces step N: \"N=action => expected result\" (repeatable)",
    ),
    (
        "Remplace toutes les étapes : « action => résultat attendu » (répétable, dans l'ordre)",
        "Replaces all steps: \"action => expected result\" (repeatable, in order)",
    ),
    (
        "Reprend un cas de test retiré",
        "Restores a retired test case",
    ),
    (
        "Retire des cas de test d'une campagne (par référence, criticité, étiquette, exigence) ; ceux déjà exécutés restent (leurs résultats sont l'historique)",
        "Removes test cases from a campaign (by reference, criticality, tag, requirement); those already executed stay (their results are the history)",
    ),
    (
        "Retire l'attribution",
        "Removes the assignment",
    ),
    (
        "Retire la valeur d'un paramètre (répétable)",
        "Removes the value of a parameter (repeatable)",
    ),
    (
        "Retire un cas de test (obsolète) : gardé dans l'historique, hors des nouvelles campagnes et de la couverture",
        "Retires a test case (obsolete): kept in the history, left out of new campaigns and of coverage",
    ),
    (
        "Retire un critère (les suivants remontent d'un rang)",
        "Removes a criterion (the following ones move up one place)",
    ),
    (
        "Retire une exigence couverte (répétable)",
        "Removes a covered requirement (repeatable)",
    ),
    (
        "Retire une étiquette (répétable)",
        "Removes a tag (repeatable)",
    ),
    (
        "Revoit les liens suspects d'une exigence : ils passent à sa révision courante",
        "Reviews the suspect links of a requirement: they move to its current revision",
    ),
    (
        "Règle : \"indicateur opérateur seuil\", ex. \"open_majeure <= 2\"",
        "Rule: \"indicator operator threshold\", e.g. \"open_majeure <= 2\"",
    ),
    (
        "Réactive un compte désactivé",
        "Re-enables a disabled account",
    ),
    (
        "Référence",
        "Reference",
    ),
    (
        "Référence (ex. CT-IMM-001)",
        "Reference (e.g. CT-IMM-001)",
    ),
    (
        "Référence (ex. EXI-IMM-001)",
        "Reference (e.g. EXI-IMM-001)",
    ),
    (
        "Référence (ex. FA-001)",
        "Reference (e.g. FA-001)",
    ),
    (
        "Référence (ex. LIV-2026-01)",
        "Reference (e.g. LIV-2026-01)",
    ),
    (
        "Référence (ex. STRAT-VABF)",
        "Reference (e.g. STRAT-VABF)",
    ),
    (
        "Référence (ex. VABF-1)",
        "Reference (e.g. VABF-1)",
    ),
    (
        "Référence de l'exigence",
        "Requirement reference",
    ),
    (
        "Référence du cas de test",
        "Test case reference",
    ),
    (
        "Réglage : decision_days, name, buyer, buyer_service, contract, contract_title, vendor, signature_place (sans réglage : la liste des réglages et leurs valeurs)",
        "Setting: decision_days, name, buyer, buyer_service, contract, contract_title, vendor, signature_place (without a setting: the list of settings and their values)",
    ),
    (
        "Réglages du projet (decision_days...)",
        "Project settings (decision_days...)",
    ),
    (
        "Répartit entre ces testeurs, à parts égales en nombre : A,B,C",
        "Spreads among these testers, in equal numbers: A,B,C",
    ),
    (
        "Réserve (RES-n)",
        "Reservation (RES-n)",
    ),
    (
        "Réserve (texte ; répétable). Avec --decision reserves, les réserves proposées sont ajoutées",
        "Reservation (text; repeatable). With --decision reserves, the proposed reservations are added",
    ),
    (
        "Réserves des PV signés : list, lift",
        "Reservations of signed PVs: list, lift",
    ),
    (
        "Résultat d'une étape « N=statut » ou « N=statut:résultat obtenu » (répétable)",
        "Result of a step \"N=status\" or \"N=status:actual result\" (repeatable)",
    ),
    (
        "Résultats automatisés importés dans une campagne : suite, classe, nom, statut, durée, message, trace d'échec, sortie, propriétés, reprises",
        "Automated results imported into a campaign: suite, class, name, status, duration, message, failure text, output, properties, retries",
    ),
    (
        "Révoque un jeton (par son numéro) ou tous les jetons actifs d'un compte (--all NOM)",
        "Revokes a token (by its number) or all active tokens of an account (--all NAME)",
    ),
    (
        "Rôle : admin, lead, tester, vendor, viewer",
        "Role: admin, lead, tester, vendor, viewer",
    ),
    (
        "Sauvegarde la base (sauvegarde en ligne SQLite, sûre pendant que d'autres écrivent), ses preuves et les dossiers des PV signés",
        "Backs up the database (SQLite online backup, safe while others write), its evidence and the signed PV folders",
    ),
    (
        "Script de complétion pour un shell (bash, zsh, fish, powershell, elvish), sur la sortie",
        "Completion script for a shell (bash, zsh, fish, powershell, elvish), to standard output",
    ),
    (
        "Serveur de l'espace d'équipe : pages web et API JSON sur la base (--db)",
        "Team space server: web pages and JSON API over the database (--db)",
    ),
    (
        "Seulement ce jeu de données",
        "Only this data set",
    ),
    (
        "Seulement ce jeu de données (répétable)",
        "Only this data set (repeatable)",
    ),
    (
        "Seulement ce jeu de données des cas de test choisis (répétable ; défaut : tous)",
        "Only this data set of the chosen test cases (repeatable; default: all)",
    ),
    (
        "Seulement cet essai",
        "Only this attempt",
    ),
    (
        "Seulement cette campagne",
        "Only this campaign",
    ),
    (
        "Seulement le lien vers ce cas de test",
        "Only the link to this test case",
    ),
    (
        "Seulement les anomalies ouvertes",
        "Only open anomalies",
    ),
    (
        "Seulement les cas de test actifs",
        "Only active test cases",
    ),
    (
        "Seulement les cas de test retirés",
        "Only retired test cases",
    ),
    (
        "Seulement les jetons de ce compte",
        "Only the tokens of this account",
    ),
    (
        "Seulement les liens suspects",
        "Only suspect links",
    ),
    (
        "Seulement les réserves non levées",
        "Only reservations not yet lifted",
    ),
    (
        "Seulement les résultats de ce cas de test (affichés en détail : trace d'échec, sortie...)",
        "Only the results of this test case (shown in detail: failure text, output...)",
    ),
    (
        "Seulement les résultats de ce statut (KO, OK, non passé...)",
        "Only results with this status (KO, OK, not run...)",
    ),
    (
        "Seulement les résultats sans cas de test correspondant",
        "Only results with no matching test case",
    ),
    (
        "Seulement les tests attribués à ce testeur",
        "Only the tests assigned to this tester",
    ),
    (
        "Shell : bash, zsh, fish, powershell ou elvish",
        "Shell: bash, zsh, fish, powershell or elvish",
    ),
    (
        "Signataire pour l'acheteur « Nom, fonction[, organisme] » (répétable, au moins un ; organisme par défaut : le réglage buyer)",
        "Signatory for the buyer \"Name, title[, organisation]\" (repeatable, at least one; default organisation: the buyer setting)",
    ),
    (
        "Signataire pour le titulaire « Nom, fonction[, organisme] » (répétable ; organisme par défaut : le réglage vendor, sinon le prestataire de la livraison). Sans lui : avertissement",
        "Signatory for the vendor \"Name, title[, organisation]\" (repeatable; default organisation: the vendor setting, else the delivery's vendor). Without one: warning",
    ),
    (
        "Signe le PV : décision, réserves, signataires, empreintes des rapports (immuable)",
        "Signs the PV: decision, reservations, signatories, report hashes (immutable)",
    ),
    (
        "Sortie JSON",
        "JSON output",
    ),
    (
        "Sortie JSON (avec --retest)",
        "JSON output (with --retest)",
    ),
    (
        "Sortie JSON (ce qui a changé)",
        "JSON output (what changed)",
    ),
    (
        "Sortie JSON (ce qui a été écrit)",
        "JSON output (what was written)",
    ),
    (
        "Sortie JSON du tableau de bord",
        "Dashboard JSON output",
    ),
    (
        "Statut : OK, KO, Bloqué, Non passé, N/A, En cours (ou passed, failed...) ; sans statut, il découle des étapes",
        "Status: OK, KO, blocked, not run, N/A, in progress (or passed, failed...); without a status, it is derived from the steps",
    ),
    (
        "Statut : brouillon, validée, obsolète",
        "Status: draft, approved, withdrawn",
    ),
    (
        "Statut : ouverte, analysée, corrigée, à retester, close, rouverte, rejetée (seuls les passages du cycle de vie sont admis)",
        "Status: open, acknowledged, fixed, to retest, closed, reopened, rejected (only lifecycle transitions are allowed)",
    ),
    (
        "Statuts sur les campagnes d'une livraison",
        "Statuses over the campaigns of a delivery",
    ),
    (
        "Statuts sur une campagne (défaut : dernier résultat de chaque test, toutes campagnes)",
        "Statuses on one campaign (default: latest result of each test, all campaigns)",
    ),
    (
        "Stratégie",
        "Strategy",
    ),
    (
        "Stratégie (critères de sortie)",
        "Strategy (exit criteria)",
    ),
    (
        "Stratégies de recette et critères de sortie : create, criterion, import, show, list, attach",
        "Acceptance strategies and exit criteria: create, criterion, import, show, list, attach",
    ),
    (
        "Supprime l'étape N (répétable ; appliqué après les autres changements d'étapes)",
        "Deletes step N (repeatable; applied after the other step changes)",
    ),
    (
        "Supprime un jeu de données (gardé, inactif, s'il a déjà été exécuté)",
        "Deletes a data set (kept, inactive, if it has already been executed)",
    ),
    (
        "Supprime un lien",
        "Deletes a link",
    ),
    (
        "Sur toutes les campagnes d'une livraison",
        "Over all campaigns of a delivery",
    ),
    (
        "Sur une campagne (défaut : derniers résultats de toutes les campagnes)",
        "On one campaign (default: latest results of all campaigns)",
    ),
    (
        "Sévérité",
        "Severity",
    ),
    (
        "Sévérité : bloquante, majeure, mineure",
        "Severity: blocking, major, minor",
    ),
    (
        "Tableau de bord : campagnes, statuts, taux, anomalies",
        "Dashboard: campaigns, statuses, rates, anomalies",
    ),
    (
        "Taille maximale d'un envoi (preuve, fichier de résultats), en Mio",
        "Maximum size of an upload (evidence, result file), in MiB",
    ),
    (
        "Testeur (défaut : l'auteur --as)",
        "Tester (default: the --as author)",
    ),
    (
        "Testeur affecté",
        "Assigned tester",
    ),
    (
        "Texte du commentaire",
        "Comment text",
    ),
    (
        "Titre de la spécification (défaut : le nom du projet)",
        "Specification title (default: the project name)",
    ),
    (
        "Titulaire (rôle vendor)",
        "Vendor (vendor role)",
    ),
    (
        "Titulaire dont le compte voit les livraisons (rôle vendor), tel qu'écrit sur ses livraisons",
        "Vendor whose account sees the deliveries (vendor role), as written on its deliveries",
    ),
    (
        "Tous les cas de test actifs (de la campagne, pour remove)",
        "All active test cases (of the campaign, for remove)",
    ),
    (
        "Tous les jetons actifs de ce compte",
        "All active tokens of this account",
    ),
    (
        "Tous les tests de la campagne",
        "All tests of the campaign",
    ),
    (
        "Traçabilité : couverture et statut des exigences (campagne, livraison ou derniers résultats)",
        "Traceability: requirement coverage and status (campaign, delivery or latest results)",
    ),
    (
        "Type d'objet (exigence, cas de test, campagne, exécution, anomalie, lien...)",
        "Entity type (requirement, test case, campaign, execution, anomaly, link...)",
    ),
    (
        "Un critère d'entrée (sinon : de sortie)",
        "An entry criterion (otherwise: exit)",
    ),
    (
        "Une version précise (défaut : la version en cours)",
        "A specific version (default: the current version)",
    ),
    (
        "Valeur d'un paramètre « nom=valeur » (répétable)",
        "Value of a parameter \"name=value\" (repeatable)",
    ),
    (
        "Validité : nombre de jours (90j), date de fin (AAAA-MM-JJ) ou « jamais »",
        "Validity: number of days (90d), end date (YYYY-MM-DD) or \"never\"",
    ),
    (
        "Version livrée",
        "Delivered version",
    ),
    (
        "Vérifie la base : intégrité, clés étrangères, preuves et rapports scellés intacts, chaîne du journal d'audit",
        "Checks the database: integrity, foreign keys, intact evidence and sealed reports, audit log chain",
    ),
    (
        "Vérifie qu'un fichier correspond à un PV signé (empreinte sha256)",
        "Checks that a file matches a signed PV (sha256 hash)",
    ),
    (
        "manuel (défaut) ou automatisé",
        "manual (default) or automated",
    ),
    (
        "manuel ou automatisé",
        "manual or automated",
    ),
    (
        "recette — gestion de la recette : exigences, cas de test, campagnes, anomalies, traçabilité, bilans et PV de recette",
        "recette — acceptance testing management: requirements, test cases, campaigns, anomalies, traceability, acceptance reports and PVs",
    ),
    (
        "Échéance des réserves (AAAA-MM-JJ ; défaut : la date de signature plus le délai de la stratégie)",
        "Reservations deadline (YYYY-MM-DD; default: the signing date plus the strategy's deadline)",
    ),
    (
        "Écrit le classeur d'exécution hors ligne de la campagne (à remplir puis « recette import »)",
        "Writes the campaign's offline execution workbook (to fill in, then \"recette import\")",
    ),
    (
        "Étape « action => résultat attendu » (répétable, dans l'ordre), ${paramètre} accepté",
        "Step \"action => expected result\" (repeatable, in order), ${parameter} allowed",
    ),
    (
        "Étapes par cas de test",
        "Steps per test case",
    ),
    (
        "État : attendu, reçu, accepté, refusé",
        "State: expected, received, accepted, refused",
    ),
    (
        "Étiquette (répétable)",
        "Tag (repeatable)",
    ),
    (
        "Évalue les critères de sortie d'une campagne et propose une décision",
        "Evaluates the exit criteria of a campaign and proposes a decision",
    ),
];
