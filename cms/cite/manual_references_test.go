package cite_test

import "github.com/lullabycms/lullaby/cms/cite"

// manualReference is a published work entered as a Crossref or BibTeX
// import gives it (titles in Title Case, words to keep in braces), with
// its APA 7 and AMA 11 reference-list forms written out by hand from the
// manuals' rules: sentence case for APA titles of every kind and for AMA
// article and chapter titles (AMA lowers the first word after a colon,
// APA capitalises it), journal names as entered; APA lists up to 20
// authors (21 or more: the first 19, ". . .", the last) and AMA up to 6
// (more: the first 3 and "et al"). *…* marks italics.
type manualReference struct {
	key      string
	c        cite.Reference
	apa, ama string
}

// manualReferences, in the order APA 7 lists them (TestReferenceListAPAOrder).
var manualReferences = []manualReference{
	{
		key: "aap-web-nd", // web page, group author, no date
		c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("American Academy of Pediatrics")}, Title: "How to Keep Your Sleeping Baby Safe: AAP Policy Explained",
			Container: "HealthyChildren.org", URL: "https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx", Accessed: "2024-03-04"},
		apa: "American Academy of Pediatrics. (n.d.). *How to keep your sleeping baby safe: AAP policy explained*. HealthyChildren.org. Retrieved March 4, 2024, from https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx",
		ama: "American Academy of Pediatrics. How to Keep Your Sleeping Baby Safe: AAP Policy Explained. HealthyChildren.org. Accessed March 4, 2024. https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx",
	},
	{
		key: "blair2009", // six authors, hyphenated names and words, an acronym, a braced place
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Blair", "Peter S."), pn("Sidebotham", "Peter"), pn("Evason-Coombe", "Carol"), pn("Edmonds", "Margaret"), pn("Heckstall-Smith", "Ellen M. A."), pn("Fleming", "Peter")}, Year: 2009,
			Title: "Hazardous Cosleeping Environments and Risk Factors Amenable to Change: Case-Control Study of SIDS in {South West England}", Container: "BMJ",
			Volume: "339", ArticleNumber: "b3666", DOI: "10.1136/bmj.b3666"},
		apa: "Blair, P. S., Sidebotham, P., Evason-Coombe, C., Edmonds, M., Heckstall-Smith, E. M. A., & Fleming, P. (2009). Hazardous cosleeping environments and risk factors amenable to change: Case-control study of SIDS in South West England. *BMJ*, *339*, Article b3666. https://doi.org/10.1136/bmj.b3666",
		ama: "Blair PS, Sidebotham P, Evason-Coombe C, Edmonds M, Heckstall-Smith EMA, Fleming P. Hazardous cosleeping environments and risk factors amenable to change: case-control study of SIDS in South West England. *BMJ*. 2009;339:b3666. doi:10.1136/bmj.b3666",
	},
	{
		key: "carskadon2011", // chapter in an edited book
		c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Carskadon", "Mary A."), pn("Dement", "William C.")}, Year: 2011,
			Title: "Normal Human Sleep: An Overview", Editors: []cite.Name{pn("Kryger", "Meir H."), pn("Roth", "Thomas"), pn("Dement", "William C.")},
			Container: "Principles and Practice of Sleep Medicine", Edition: "5", Pages: "16-26", Publisher: "Elsevier Saunders"},
		apa: "Carskadon, M. A., & Dement, W. C. (2011). Normal human sleep: An overview. In M. H. Kryger, T. Roth, & W. C. Dement (Eds.), *Principles and practice of sleep medicine* (5th ed., pp. 16–26). Elsevier Saunders.",
		ama: "Carskadon MA, Dement WC. Normal human sleep: an overview. In: Kryger MH, Roth T, Dement WC, eds. *Principles and Practice of Sleep Medicine*. 5th ed. Elsevier Saunders; 2011:16-26.",
	},
	{
		key: "cdc-web-nd", // web page whose author is the site
		c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("Centers for Disease Control and Prevention")}, Title: "Helping Babies Sleep Safely",
			Container: "Centers for Disease Control and Prevention", URL: "https://www.cdc.gov/reproductivehealth/features/baby-safe-sleep/index.html", Accessed: "2024-03-04"},
		apa: "Centers for Disease Control and Prevention. (n.d.). *Helping babies sleep safely*. Retrieved March 4, 2024, from https://www.cdc.gov/reproductivehealth/features/baby-safe-sleep/index.html",
		ama: "Helping Babies Sleep Safely. Centers for Disease Control and Prevention. Accessed March 4, 2024. https://www.cdc.gov/reproductivehealth/features/baby-safe-sleep/index.html",
	},
	{
		key: "colten2006", // edited book with a DOI
		c: cite.Reference{Type: cite.Book, Editors: []cite.Name{pn("Colten", "Harvey R."), pn("Altevogt", "Bruce M.")}, Year: 2006,
			Title: "Sleep Disorders and Sleep Deprivation: An Unmet Public Health Problem", Publisher: "National Academies Press", DOI: "10.17226/11617"},
		apa: "Colten, H. R., & Altevogt, B. M. (Eds.). (2006). *Sleep disorders and sleep deprivation: An unmet public health problem*. National Academies Press. https://doi.org/10.17226/11617",
		ama: "Colten HR, Altevogt BM, eds. *Sleep Disorders and Sleep Deprivation: An Unmet Public Health Problem*. National Academies Press; 2006. doi:10.17226/11617",
	},
	{
		key: "ferber2006", // book, one author, revised edition
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{pn("Ferber", "Richard")}, Year: 2006,
			Title: "Solve Your Child's Sleep Problems", Edition: "Rev.", Publisher: "Fireside"},
		apa: "Ferber, R. (2006). *Solve your child's sleep problems* (Rev. ed.). Fireside.",
		ama: "Ferber R. *Solve Your Child's Sleep Problems*. Rev ed. Fireside; 2006.",
	},
	{
		key: "gradisar2016", // eight authors: AMA's "et al"
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Gradisar", "Michael"), pn("Jackson", "Kate"), pn("Spurrier", "Nicola J."), pn("Gibson", "Joyce"), pn("Whitham", "Justine"), pn("Williams", "Anne Sved"), pn("Dolby", "Robyn"), pn("Kennaway", "David J.")}, Year: 2016,
			Title: "Behavioral Interventions for Infant Sleep Problems: A Randomized Controlled Trial", Container: "Pediatrics",
			Volume: "137", Issue: "6", ArticleNumber: "e20151486", DOI: "10.1542/peds.2015-1486"},
		apa: "Gradisar, M., Jackson, K., Spurrier, N. J., Gibson, J., Whitham, J., Williams, A. S., Dolby, R., & Kennaway, D. J. (2016). Behavioral interventions for infant sleep problems: A randomized controlled trial. *Pediatrics*, *137*(6), Article e20151486. https://doi.org/10.1542/peds.2015-1486",
		ama: "Gradisar M, Jackson K, Spurrier NJ, et al. Behavioral interventions for infant sleep problems: a randomized controlled trial. *Pediatrics*. 2016;137(6):e20151486. doi:10.1542/peds.2015-1486",
	},
	{
		key: "hirshkowitz2015", // twenty authors: APA's most in full
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Hirshkowitz", "Max"), pn("Whiton", "Kaitlyn"), pn("Albert", "Steven M."), pn("Alessi", "Cathy"), pn("Bruni", "Oliviero"), pn("DonCarlos", "Lydia"), pn("Hazen", "Nancy"), pn("Herman", "John"), pn("Katz", "Eliot S."), pn("Kheirandish-Gozal", "Leila"), pn("Neubauer", "David N."), pn("O'Donnell", "Anne E."), pn("Ohayon", "Maurice"), pn("Peever", "John"), pn("Rawding", "Robert"), pn("Sachdeva", "Ramesh C."), pn("Setters", "Belinda"), pn("Vitiello", "Michael V."), pn("Ware", "J. Catesby"), pn("Adams Hillard", "Paula J.")}, Year: 2015,
			Title: "{National Sleep Foundation}'s Sleep Time Duration Recommendations: Methodology and Results Summary", Container: "Sleep Health",
			Volume: "1", Issue: "1", Pages: "40-43", DOI: "10.1016/j.sleh.2014.12.010"},
		apa: "Hirshkowitz, M., Whiton, K., Albert, S. M., Alessi, C., Bruni, O., DonCarlos, L., Hazen, N., Herman, J., Katz, E. S., Kheirandish-Gozal, L., Neubauer, D. N., O'Donnell, A. E., Ohayon, M., Peever, J., Rawding, R., Sachdeva, R. C., Setters, B., Vitiello, M. V., Ware, J. C., & Adams Hillard, P. J. (2015). National Sleep Foundation's sleep time duration recommendations: Methodology and results summary. *Sleep Health*, *1*(1), 40–43. https://doi.org/10.1016/j.sleh.2014.12.010",
		ama: "Hirshkowitz M, Whiton K, Albert SM, et al. National Sleep Foundation's sleep time duration recommendations: methodology and results summary. *Sleep Health*. 2015;1(1):40-43. doi:10.1016/j.sleh.2014.12.010",
	},
	{
		key: "hiscock2002", // two authors
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Hiscock", "Harriet"), pn("Wake", "Melissa")}, Year: 2002,
			Title: "Randomised Controlled Trial of Behavioural Infant Sleep Intervention to Improve Infant Sleep and Maternal Mood", Container: "BMJ",
			Volume: "324", Issue: "7345", Pages: "1062-1065", DOI: "10.1136/bmj.324.7345.1062"},
		apa: "Hiscock, H., & Wake, M. (2002). Randomised controlled trial of behavioural infant sleep intervention to improve infant sleep and maternal mood. *BMJ*, *324*(7345), 1062–1065. https://doi.org/10.1136/bmj.324.7345.1062",
		ama: "Hiscock H, Wake M. Randomised controlled trial of behavioural infant sleep intervention to improve infant sleep and maternal mood. *BMJ*. 2002;324(7345):1062-1065. doi:10.1136/bmj.324.7345.1062",
	},
	{
		key: "jumper2021", // 34 authors: APA's first 19, ". . .", the last; an inner capital kept
		c: cite.Reference{Type: cite.Article, Authors: jumperAuthors(), Year: 2021,
			Title: "Highly Accurate Protein Structure Prediction with AlphaFold", Container: "Nature",
			Volume: "596", Issue: "7873", Pages: "583-589", DOI: "10.1038/s41586-021-03819-2"},
		apa: "Jumper, J., Evans, R., Pritzel, A., Green, T., Figurnov, M., Ronneberger, O., Tunyasuvunakool, K., Bates, R., Žídek, A., Potapenko, A., Bridgland, A., Meyer, C., Kohl, S. A. A., Ballard, A. J., Cowie, A., Romera-Paredes, B., Nikolov, S., Jain, R., Adler, J., . . . Hassabis, D. (2021). Highly accurate protein structure prediction with AlphaFold. *Nature*, *596*(7873), 583–589. https://doi.org/10.1038/s41586-021-03819-2",
		ama: "Jumper J, Evans R, Pritzel A, et al. Highly accurate protein structure prediction with AlphaFold. *Nature*. 2021;596(7873):583-589. doi:10.1038/s41586-021-03819-2",
	},
	{
		key: "mindell2006", // five authors; a braced name after the colon
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Kuhn", "Brett"), pn("Lewin", "Daniel S."), pn("Meltzer", "Lisa J."), pn("Sadeh", "Avi")}, Year: 2006,
			Title:     "Behavioral Treatment of Bedtime Problems and Night Wakings in Infants and Young Children: An {American Academy of Sleep Medicine} Review",
			Container: "Sleep", Volume: "29", Issue: "10", Pages: "1263-76", DOI: "10.1093/sleep/29.10.1263"},
		apa: "Mindell, J. A., Kuhn, B., Lewin, D. S., Meltzer, L. J., & Sadeh, A. (2006). Behavioral treatment of bedtime problems and night wakings in infants and young children: An American Academy of Sleep Medicine review. *Sleep*, *29*(10), 1263–1276. https://doi.org/10.1093/sleep/29.10.1263",
		ama: "Mindell JA, Kuhn B, Lewin DS, Meltzer LJ, Sadeh A. Behavioral treatment of bedtime problems and night wakings in infants and young children: an American Academy of Sleep Medicine review. *Sleep*. 2006;29(10):1263-1276. doi:10.1093/sleep/29.10.1263",
	},
	{
		key: "mindell2015", // book, two authors, third edition
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Owens", "Judith A.")}, Year: 2015,
			Title: "A Clinical Guide to Pediatric Sleep: Diagnosis and Management of Sleep Problems", Edition: "3", Publisher: "Wolters Kluwer"},
		apa: "Mindell, J. A., & Owens, J. A. (2015). *A clinical guide to pediatric sleep: Diagnosis and management of sleep problems* (3rd ed.). Wolters Kluwer.",
		ama: "Mindell JA, Owens JA. *A Clinical Guide to Pediatric Sleep: Diagnosis and Management of Sleep Problems*. 3rd ed. Wolters Kluwer; 2015.",
	},
	{
		key: "mindell2010", // five authors; sorted after Mindell & Owens by the second author
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Sadeh", "Avi"), pn("Wiegand", "Benjamin"), pn("How", "Ti Hwei"), pn("Goh", "Daniel Y. T.")}, Year: 2010,
			Title: "Cross-Cultural Differences in Infant and Toddler Sleep", Container: "Sleep Medicine", ContainerShort: "Sleep Med",
			Volume: "11", Issue: "3", Pages: "274-280", DOI: "10.1016/j.sleep.2009.04.012"},
		apa: "Mindell, J. A., Sadeh, A., Wiegand, B., How, T. H., & Goh, D. Y. T. (2010). Cross-cultural differences in infant and toddler sleep. *Sleep Medicine*, *11*(3), 274–280. https://doi.org/10.1016/j.sleep.2009.04.012",
		ama: "Mindell JA, Sadeh A, Wiegand B, How TH, Goh DYT. Cross-cultural differences in infant and toddler sleep. *Sleep Med*. 2010;11(3):274-280. doi:10.1016/j.sleep.2009.04.012",
	},
	{
		key: "moon2022", // AAP's 2022 safe sleep policy statement: three authors, article number
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Moon", "Rachel Y."), pn("Carlin", "Rebecca F."), pn("Hand", "Ivan")}, Year: 2022,
			Title: "Sleep-Related Infant Deaths: Updated 2022 Recommendations for Reducing Infant Deaths in the Sleep Environment", Container: "Pediatrics",
			Volume: "150", Issue: "1", ArticleNumber: "e2022057990", DOI: "10.1542/peds.2022-057990"},
		apa: "Moon, R. Y., Carlin, R. F., & Hand, I. (2022). Sleep-related infant deaths: Updated 2022 recommendations for reducing infant deaths in the sleep environment. *Pediatrics*, *150*(1), Article e2022057990. https://doi.org/10.1542/peds.2022-057990",
		ama: "Moon RY, Carlin RF, Hand I. Sleep-related infant deaths: updated 2022 recommendations for reducing infant deaths in the sleep environment. *Pediatrics*. 2022;150(1):e2022057990. doi:10.1542/peds.2022-057990",
	},
	{
		key: "owens2000", // three authors, no DOI; an instrument's name in braces, an acronym
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Owens", "Judith A."), pn("Spirito", "Anthony"), pn("McGuinn", "Melissa")}, Year: 2000,
			Title:     "The {Children's Sleep Habits Questionnaire} (CSHQ): Psychometric Properties of a Survey Instrument for School-Aged Children",
			Container: "Sleep", Volume: "23", Issue: "8", Pages: "1043-1051"},
		apa: "Owens, J. A., Spirito, A., & McGuinn, M. (2000). The Children's Sleep Habits Questionnaire (CSHQ): Psychometric properties of a survey instrument for school-aged children. *Sleep*, *23*(8), 1043–1051.",
		ama: "Owens JA, Spirito A, McGuinn M. The Children's Sleep Habits Questionnaire (CSHQ): psychometric properties of a survey instrument for school-aged children. *Sleep*. 2000;23(8):1043-1051.",
	},
	{
		key: "paruthi2016-methods", // same authors, same year: 2016a by title
		c: cite.Reference{Type: cite.Article, Authors: paruthiAuthors(), Year: 2016,
			Title:     "Consensus Statement of the {American Academy of Sleep Medicine} on the Recommended Amount of Sleep for Healthy Children: Methodology and Discussion",
			Container: "Journal of Clinical Sleep Medicine", ContainerShort: "J Clin Sleep Med", Volume: "12", Issue: "11", Pages: "1549-1561", DOI: "10.5664/jcsm.6288"},
		apa: paruthiAPA + " (2016a). Consensus statement of the American Academy of Sleep Medicine on the recommended amount of sleep for healthy children: Methodology and discussion. *Journal of Clinical Sleep Medicine*, *12*(11), 1549–1561. https://doi.org/10.5664/jcsm.6288",
		ama: "Paruthi S, Brooks LJ, D'Ambrosio C, et al. Consensus statement of the American Academy of Sleep Medicine on the recommended amount of sleep for healthy children: methodology and discussion. *J Clin Sleep Med*. 2016;12(11):1549-1561. doi:10.5664/jcsm.6288",
	},
	{
		key: "paruthi2016", // … and 2016b
		c: cite.Reference{Type: cite.Article, Authors: paruthiAuthors(), Year: 2016,
			Title:     "Recommended Amount of Sleep for Pediatric Populations: A Consensus Statement of the {American Academy of Sleep Medicine}",
			Container: "Journal of Clinical Sleep Medicine", ContainerShort: "J Clin Sleep Med", Volume: "12", Issue: "6", Pages: "785-786", DOI: "10.5664/jcsm.5866"},
		apa: paruthiAPA + " (2016b). Recommended amount of sleep for pediatric populations: A consensus statement of the American Academy of Sleep Medicine. *Journal of Clinical Sleep Medicine*, *12*(6), 785–786. https://doi.org/10.5664/jcsm.5866",
		ama: "Paruthi S, Brooks LJ, D'Ambrosio C, et al. Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine. *J Clin Sleep Med*. 2016;12(6):785-786. doi:10.5664/jcsm.5866",
	},
	{
		key: "sadeh2011", // one author; listed before Sadeh & Anders (1993): nothing precedes something
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi")}, Year: 2011,
			Title: "The Role and Validity of Actigraphy in Sleep Medicine: An Update", Container: "Sleep Medicine Reviews", ContainerShort: "Sleep Med Rev",
			Volume: "15", Issue: "4", Pages: "259-267", DOI: "10.1016/j.smrv.2010.10.001"},
		apa: "Sadeh, A. (2011). The role and validity of actigraphy in sleep medicine: An update. *Sleep Medicine Reviews*, *15*(4), 259–267. https://doi.org/10.1016/j.smrv.2010.10.001",
		ama: "Sadeh A. The role and validity of actigraphy in sleep medicine: an update. *Sleep Med Rev*. 2011;15(4):259-267. doi:10.1016/j.smrv.2010.10.001",
	},
	{
		key: "sadeh1993", // two authors, no DOI
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi"), pn("Anders", "Thomas F.")}, Year: 1993,
			Title: "Infant Sleep Problems: Origins, Assessment, Interventions", Container: "Infant Mental Health Journal", ContainerShort: "Infant Ment Health J",
			Volume: "14", Issue: "1", Pages: "17-34"},
		apa: "Sadeh, A., & Anders, T. F. (1993). Infant sleep problems: Origins, assessment, interventions. *Infant Mental Health Journal*, *14*(1), 17–34.",
		ama: "Sadeh A, Anders TF. Infant sleep problems: origins, assessment, interventions. *Infant Ment Health J*. 1993;14(1):17-34.",
	},
	{
		key: "aap2016", // group author of an article; an acronym first
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{org("Task Force on Sudden Infant Death Syndrome")}, Year: 2016,
			Title: "SIDS and Other Sleep-Related Infant Deaths: Updated 2016 Recommendations for a Safe Infant Sleeping Environment", Container: "Pediatrics",
			Volume: "138", Issue: "5", ArticleNumber: "e20162938", DOI: "10.1542/peds.2016-2938"},
		apa: "Task Force on Sudden Infant Death Syndrome. (2016). SIDS and other sleep-related infant deaths: Updated 2016 recommendations for a safe infant sleeping environment. *Pediatrics*, *138*(5), Article e20162938. https://doi.org/10.1542/peds.2016-2938",
		ama: "Task Force on Sudden Infant Death Syndrome. SIDS and other sleep-related infant deaths: updated 2016 recommendations for a safe infant sleeping environment. *Pediatrics*. 2016;138(5):e20162938. doi:10.1542/peds.2016-2938",
	},
	{
		key: "who2019", // report by a group author; 2019a by title
		c: cite.Reference{Type: cite.Report, Authors: []cite.Name{org("World Health Organization")}, Year: 2019,
			Title: "Guidelines on Physical Activity, Sedentary Behaviour and Sleep for Children Under 5 Years of Age", Publisher: "World Health Organization",
			URL: "https://apps.who.int/iris/handle/10665/311664", Accessed: "2024-03-04"},
		apa: "World Health Organization. (2019a). *Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age*. https://apps.who.int/iris/handle/10665/311664",
		ama: "World Health Organization. *Guidelines on Physical Activity, Sedentary Behaviour and Sleep for Children Under 5 Years of Age*. World Health Organization; 2019. Accessed March 4, 2024. https://apps.who.int/iris/handle/10665/311664",
	},
	{
		key: "who2019-digital", // … and 2019b
		c: cite.Reference{Type: cite.Report, Authors: []cite.Name{org("World Health Organization")}, Year: 2019,
			Title: "WHO Guideline: Recommendations on Digital Interventions for Health System Strengthening", Publisher: "World Health Organization",
			URL: "https://www.who.int/publications/i/item/9789241550505", Accessed: "2024-03-04"},
		apa: "World Health Organization. (2019b). *WHO guideline: Recommendations on digital interventions for health system strengthening*. https://www.who.int/publications/i/item/9789241550505",
		ama: "World Health Organization. *WHO Guideline: Recommendations on Digital Interventions for Health System Strengthening*. World Health Organization; 2019. Accessed March 4, 2024. https://www.who.int/publications/i/item/9789241550505",
	},
}
