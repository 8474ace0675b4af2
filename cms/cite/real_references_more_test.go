package cite_test

import "github.com/lullabycms/lullaby/cms/cite"

// realManyAuthors are articles with 8 to 20 authors.
var realManyAuthors = []realReference{
	// 8 or more authors: AMA gives the first 3 and "et al".
	{
		name: "gradisar2016 eight authors article number",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Gradisar", "Michael"), pn("Jackson", "Kate"), pn("Spurrier", "Nicola J."), pn("Gibson", "Joyce"), pn("Whitham", "Justine"), pn("Williams", "Anne Sved"), pn("Dolby", "Robyn"), pn("Kennaway", "David J.")}, Year: 2016,
			Title: "Behavioral interventions for infant sleep problems: a randomized controlled trial", Container: "Pediatrics",
			Volume: "137", Issue: "6", ArticleNumber: "e20151486", DOI: "https://doi.org/10.1542/peds.2015-1486"},
		apa: "Gradisar, M., Jackson, K., Spurrier, N. J., Gibson, J., Whitham, J., Williams, A. S., Dolby, R., & Kennaway, D. J. (2016). Behavioral interventions for infant sleep problems: A randomized controlled trial. *Pediatrics*, *137*(6), Article e20151486. https://doi.org/10.1542/peds.2015-1486",
		ama: "Gradisar M, Jackson K, Spurrier NJ, et al. Behavioral interventions for infant sleep problems: a randomized controlled trial. *Pediatrics*. 2016;137(6):e20151486. doi:10.1542/peds.2015-1486",
	},
	{
		name: "paruthi2016 thirteen authors apostrophe",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Paruthi", "Shalini"), pn("Brooks", "Lee J."), pn("D'Ambrosio", "Carolyn"), pn("Hall", "Wendy A."), pn("Kotagal", "Suresh"), pn("Lloyd", "Robin M."), pn("Malow", "Beth A."), pn("Maski", "Kiran"), pn("Nichols", "Cynthia"), pn("Quan", "Stuart F."), pn("Rosen", "Carol L."), pn("Troester", "Matthew M."), pn("Wise", "Merrill S.")}, Year: 2016,
			Title: "Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine", Container: "Journal of Clinical Sleep Medicine", ContainerShort: "J Clin Sleep Med",
			Volume: "12", Issue: "6", Pages: "785-786", DOI: "doi:10.5664/jcsm.5866"},
		apa: "Paruthi, S., Brooks, L. J., D'Ambrosio, C., Hall, W. A., Kotagal, S., Lloyd, R. M., Malow, B. A., Maski, K., Nichols, C., Quan, S. F., Rosen, C. L., Troester, M. M., & Wise, M. S. (2016). Recommended amount of sleep for pediatric populations: A consensus statement of the American Academy of Sleep Medicine. *Journal of Clinical Sleep Medicine*, *12*(6), 785–786. https://doi.org/10.5664/jcsm.5866",
		ama: "Paruthi S, Brooks LJ, D'Ambrosio C, et al. Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine. *J Clin Sleep Med*. 2016;12(6):785-786. doi:10.5664/jcsm.5866",
	},
	// 20 authors: the most APA lists in full.
	{
		name: "hirshkowitz2015 twenty authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Hirshkowitz", "Max"), pn("Whiton", "Kaitlyn"), pn("Albert", "Steven M."), pn("Alessi", "Cathy"), pn("Bruni", "Oliviero"), pn("DonCarlos", "Lydia"), pn("Hazen", "Nancy"), pn("Herman", "John"), pn("Katz", "Eliot S."), pn("Kheirandish-Gozal", "Leila"), pn("Neubauer", "David N."), pn("O'Donnell", "Anne E."), pn("Ohayon", "Maurice"), pn("Peever", "John"), pn("Rawding", "Robert"), pn("Sachdeva", "Ramesh C."), pn("Setters", "Belinda"), pn("Vitiello", "Michael V."), pn("Ware", "J. Catesby"), pn("Adams Hillard", "Paula J.")}, Year: 2015,
			Title: "National Sleep Foundation's sleep time duration recommendations: methodology and results summary", Container: "Sleep Health",
			Volume: "1", Issue: "1", Pages: "40-43", DOI: "http://dx.doi.org/10.1016/j.sleh.2014.12.010"},
		apa: "Hirshkowitz, M., Whiton, K., Albert, S. M., Alessi, C., Bruni, O., DonCarlos, L., Hazen, N., Herman, J., Katz, E. S., Kheirandish-Gozal, L., Neubauer, D. N., O'Donnell, A. E., Ohayon, M., Peever, J., Rawding, R., Sachdeva, R. C., Setters, B., Vitiello, M. V., Ware, J. C., & Adams Hillard, P. J. (2015). National Sleep Foundation's sleep time duration recommendations: Methodology and results summary. *Sleep Health*, *1*(1), 40–43. https://doi.org/10.1016/j.sleh.2014.12.010",
		ama: "Hirshkowitz M, Whiton K, Albert SM, et al. National Sleep Foundation's sleep time duration recommendations: methodology and results summary. *Sleep Health*. 2015;1(1):40-43. doi:10.1016/j.sleh.2014.12.010",
	},
}

// realOtherWorks are the real references other than journal articles by
// people: group authors, books, chapters, reports and web pages.
var realOtherWorks = []realReference{
	// Organisation as author.
	{
		name: "aap2016 organisation author article number",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{org("Task Force on Sudden Infant Death Syndrome")}, Year: 2016,
			Title: "SIDS and other sleep-related infant deaths: updated 2016 recommendations for a safe infant sleeping environment", Container: "Pediatrics",
			Volume: "138", Issue: "5", ArticleNumber: "e20162938", DOI: "10.1542/peds.2016-2938"},
		apa: "Task Force on Sudden Infant Death Syndrome. (2016). SIDS and other sleep-related infant deaths: Updated 2016 recommendations for a safe infant sleeping environment. *Pediatrics*, *138*(5), Article e20162938. https://doi.org/10.1542/peds.2016-2938",
		ama: "Task Force on Sudden Infant Death Syndrome. SIDS and other sleep-related infant deaths: updated 2016 recommendations for a safe infant sleeping environment. *Pediatrics*. 2016;138(5):e20162938. doi:10.1542/peds.2016-2938",
	},
	// Books.
	{
		name: "ferber2006 book revised edition",
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{pn("Ferber", "Richard")}, Year: 2006,
			Title: "Solve Your Child's Sleep Problems", Edition: "Rev.", Publisher: "Fireside"},
		apa: "Ferber, R. (2006). *Solve your child's sleep problems* (Rev. ed.). Fireside.",
		ama: "Ferber R. *Solve Your Child's Sleep Problems*. Rev ed. Fireside; 2006.",
	},
	{
		name: "mindell2015 book third edition",
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Owens", "Judith A.")}, Year: 2015,
			Title: "A Clinical Guide to Pediatric Sleep: Diagnosis and Management of Sleep Problems", Edition: "3", Publisher: "Wolters Kluwer", PublisherPlace: "Philadelphia"},
		apa: "Mindell, J. A., & Owens, J. A. (2015). *A clinical guide to pediatric sleep: Diagnosis and management of sleep problems* (3rd ed.). Wolters Kluwer.",
		ama: "Mindell JA, Owens JA. *A Clinical Guide to Pediatric Sleep: Diagnosis and Management of Sleep Problems*. 3rd ed. Wolters Kluwer; 2015.",
	},
	{
		name: "weissbluth2015 book fourth edition",
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{pn("Weissbluth", "Marc")}, Year: 2015,
			Title: "Healthy Sleep Habits, Happy Child", Edition: "4th", Publisher: "Ballantine Books"},
		apa: "Weissbluth, M. (2015). *Healthy sleep habits, happy child* (4th ed.). Ballantine Books.",
		ama: "Weissbluth M. *Healthy Sleep Habits, Happy Child*. 4th ed. Ballantine Books; 2015.",
	},
	{
		name: "kryger2017 edited book",
		c: cite.Reference{Type: cite.Book, Editors: []cite.Name{pn("Kryger", "Meir H."), pn("Roth", "Thomas"), pn("Dement", "William C.")}, Year: 2017,
			Title: "Principles and Practice of Sleep Medicine", Edition: "6", Publisher: "Elsevier"},
		apa: "Kryger, M. H., Roth, T., & Dement, W. C. (Eds.). (2017). *Principles and practice of sleep medicine* (6th ed.). Elsevier.",
		ama: "Kryger MH, Roth T, Dement WC, eds. *Principles and Practice of Sleep Medicine*. 6th ed. Elsevier; 2017.",
	},
	{
		name: "colten2006 edited book with DOI",
		c: cite.Reference{Type: cite.Book, Editors: []cite.Name{pn("Colten", "Harvey R."), pn("Altevogt", "Bruce M.")}, Year: 2006,
			Title: "Sleep Disorders and Sleep Deprivation: An Unmet Public Health Problem", Publisher: "National Academies Press", DOI: "10.17226/11617"},
		apa: "Colten, H. R., & Altevogt, B. M. (Eds.). (2006). *Sleep disorders and sleep deprivation: An unmet public health problem*. National Academies Press. https://doi.org/10.17226/11617",
		ama: "Colten HR, Altevogt BM, eds. *Sleep Disorders and Sleep Deprivation: An Unmet Public Health Problem*. National Academies Press; 2006. doi:10.17226/11617",
	},
	{
		name: "aasm2014 organisation book publisher is author",
		c: cite.Reference{Type: cite.Book, Authors: []cite.Name{org("American Academy of Sleep Medicine")}, Year: 2014,
			Title: "International Classification of Sleep Disorders", Edition: "3rd ed.", Publisher: "American Academy of Sleep Medicine"},
		apa: "American Academy of Sleep Medicine. (2014). *International classification of sleep disorders* (3rd ed.).",
		ama: "American Academy of Sleep Medicine. *International Classification of Sleep Disorders*. 3rd ed. American Academy of Sleep Medicine; 2014.",
	},
	// Chapter in an edited book.
	{
		name: "carskadon2011 chapter",
		c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Carskadon", "Mary A."), pn("Dement", "William C.")}, Year: 2011,
			Title: "Normal human sleep: an overview", Editors: []cite.Name{pn("Kryger", "Meir H."), pn("Roth", "Thomas"), pn("Dement", "William C.")},
			Container: "Principles and Practice of Sleep Medicine", Edition: "5", Pages: "16-26", Publisher: "Elsevier Saunders"},
		apa: "Carskadon, M. A., & Dement, W. C. (2011). Normal human sleep: An overview. In M. H. Kryger, T. Roth, & W. C. Dement (Eds.), *Principles and practice of sleep medicine* (5th ed., pp. 16–26). Elsevier Saunders.",
		ama: "Carskadon MA, Dement WC. Normal human sleep: an overview. In: Kryger MH, Roth T, Dement WC, eds. *Principles and Practice of Sleep Medicine*. 5th ed. Elsevier Saunders; 2011:16-26.",
	},
	// Report by an organisation, no DOI, with a URL.
	{
		name: "who2019 report",
		c: cite.Reference{Type: cite.Report, Authors: []cite.Name{org("World Health Organization")}, Year: 2019,
			Title: "Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age", Publisher: "World Health Organization",
			URL: "https://apps.who.int/iris/handle/10665/311664", Accessed: "2024-03-04"},
		apa: "World Health Organization. (2019). *Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age*. https://apps.who.int/iris/handle/10665/311664",
		ama: "World Health Organization. *Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age*. World Health Organization; 2019. Accessed March 4, 2024. https://apps.who.int/iris/handle/10665/311664",
	},
	// Web pages without a date.
	{
		name: "nhs web page author is site",
		c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("NHS")}, Title: "Helping your baby to sleep", Container: "NHS",
			URL: "https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/", Accessed: "2024-03-04"},
		apa: "NHS. (n.d.). *Helping your baby to sleep*. Retrieved March 4, 2024, from https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/",
		ama: "Helping your baby to sleep. NHS. Accessed March 4, 2024. https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/",
	},
	{
		name: "healthychildren web page",
		c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("American Academy of Pediatrics")}, Title: "How to keep your sleeping baby safe: AAP policy explained", Container: "HealthyChildren.org",
			URL: "https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx", Accessed: "2024-03-04"},
		apa: "American Academy of Pediatrics. (n.d.). *How to keep your sleeping baby safe: AAP policy explained*. HealthyChildren.org. Retrieved March 4, 2024, from https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx",
		ama: "American Academy of Pediatrics. How to keep your sleeping baby safe: AAP policy explained. HealthyChildren.org. Accessed March 4, 2024. https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx",
	},
}
