package cite_test

import (
	"encoding/json"
	"errors"
	"html"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/lullabycms/lullaby/cms/cite"
)

func pn(family, given string) cite.Name { return cite.Name{Family: family, Given: given} }
func org(name string) cite.Name         { return cite.Name{Literal: name} }

// realReference is a published work from its public bibliographic record
// (journal, PubMed or publisher), with its APA 7 and AMA 11 forms written
// out by hand. In the expected strings *…* marks italics; wantHTML derives
// the HTML from that independently of the formatter.
type realReference struct {
	name string
	c    cite.Reference
	apa  string
	ama  string
}

var realReferences = []realReference{
	// Journal articles, 1 author.
	{
		name: "sadeh2011 one author",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi")}, Year: 2011,
			Title: "The role and validity of actigraphy in sleep medicine: an update", Container: "Sleep Medicine Reviews", ContainerShort: "Sleep Med Rev",
			Volume: "15", Issue: "4", Pages: "259-267", DOI: "10.1016/j.smrv.2010.10.001"},
		apa: "Sadeh, A. (2011). The role and validity of actigraphy in sleep medicine: An update. *Sleep Medicine Reviews*, *15*(4), 259–267. https://doi.org/10.1016/j.smrv.2010.10.001",
		ama: "Sadeh A. The role and validity of actigraphy in sleep medicine: an update. *Sleep Med Rev*. 2011;15(4):259-267. doi:10.1016/j.smrv.2010.10.001",
	},
	// 2 authors.
	{
		name: "hiscock2002 two authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Hiscock", "Harriet"), pn("Wake", "Melissa")}, Year: 2002,
			Title: "Randomised controlled trial of behavioural infant sleep intervention to improve infant sleep and maternal mood", Container: "BMJ",
			Volume: "324", Issue: "7345", Pages: "1062–1065", DOI: "10.1136/bmj.324.7345.1062"},
		apa: "Hiscock, H., & Wake, M. (2002). Randomised controlled trial of behavioural infant sleep intervention to improve infant sleep and maternal mood. *BMJ*, *324*(7345), 1062–1065. https://doi.org/10.1136/bmj.324.7345.1062",
		ama: "Hiscock H, Wake M. Randomised controlled trial of behavioural infant sleep intervention to improve infant sleep and maternal mood. *BMJ*. 2002;324(7345):1062-1065. doi:10.1136/bmj.324.7345.1062",
	},
	{
		name: "meltzer2014 two authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Meltzer", "Lisa J."), pn("Mindell", "Jodi A.")}, Year: 2014,
			Title: "Systematic review and meta-analysis of behavioral interventions for pediatric insomnia", Container: "Journal of Pediatric Psychology", ContainerShort: "J Pediatr Psychol",
			Volume: "39", Issue: "8", Pages: "932-948", DOI: "10.1093/jpepsy/jsu041"},
		apa: "Meltzer, L. J., & Mindell, J. A. (2014). Systematic review and meta-analysis of behavioral interventions for pediatric insomnia. *Journal of Pediatric Psychology*, *39*(8), 932–948. https://doi.org/10.1093/jpepsy/jsu041",
		ama: "Meltzer LJ, Mindell JA. Systematic review and meta-analysis of behavioral interventions for pediatric insomnia. *J Pediatr Psychol*. 2014;39(8):932-948. doi:10.1093/jpepsy/jsu041",
	},
	{
		name: "douglas2013 two authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Douglas", "Pamela S."), pn("Hill", "Peter S.")}, Year: 2013,
			Title: "Behavioral sleep interventions in the first six months of life do not improve outcomes for mothers or infants: a systematic review", Container: "Journal of Developmental & Behavioral Pediatrics", ContainerShort: "J Dev Behav Pediatr",
			Volume: "34", Issue: "7", Pages: "497-507", DOI: "10.1097/DBP.0b013e31829cafa6"},
		apa: "Douglas, P. S., & Hill, P. S. (2013). Behavioral sleep interventions in the first six months of life do not improve outcomes for mothers or infants: A systematic review. *Journal of Developmental & Behavioral Pediatrics*, *34*(7), 497–507. https://doi.org/10.1097/DBP.0b013e31829cafa6",
		ama: "Douglas PS, Hill PS. Behavioral sleep interventions in the first six months of life do not improve outcomes for mothers or infants: a systematic review. *J Dev Behav Pediatr*. 2013;34(7):497-507. doi:10.1097/DBP.0b013e31829cafa6",
	},
	{
		name: "mindell2018 two authors no issue",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Williamson", "Ariel A.")}, Year: 2018,
			Title: "Benefits of a bedtime routine in young children: sleep, development, and beyond", Container: "Sleep Medicine Reviews", ContainerShort: "Sleep Med Rev",
			Volume: "40", Pages: "93-108", DOI: "10.1016/j.smrv.2017.10.007"},
		apa: "Mindell, J. A., & Williamson, A. A. (2018). Benefits of a bedtime routine in young children: Sleep, development, and beyond. *Sleep Medicine Reviews*, *40*, 93–108. https://doi.org/10.1016/j.smrv.2017.10.007",
		ama: "Mindell JA, Williamson AA. Benefits of a bedtime routine in young children: sleep, development, and beyond. *Sleep Med Rev*. 2018;40:93-108. doi:10.1016/j.smrv.2017.10.007",
	},
	{
		name: "sadeh1993 two authors no DOI",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi"), pn("Anders", "Thomas F.")}, Year: 1993,
			Title: "Infant sleep problems: origins, assessment, interventions", Container: "Infant Mental Health Journal", ContainerShort: "Infant Ment Health J",
			Volume: "14", Issue: "1", Pages: "17-34"},
		apa: "Sadeh, A., & Anders, T. F. (1993). Infant sleep problems: Origins, assessment, interventions. *Infant Mental Health Journal*, *14*(1), 17–34.",
		ama: "Sadeh A, Anders TF. Infant sleep problems: origins, assessment, interventions. *Infant Ment Health J*. 1993;14(1):17-34.",
	},
	// 3 to 7 authors.
	{
		name: "moon2022 three authors article number",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Moon", "Rachel Y."), pn("Carlin", "Rebecca F."), pn("Hand", "Ivan")}, Year: 2022,
			Title: "Sleep-related infant deaths: updated 2022 recommendations for reducing infant deaths in the sleep environment", Container: "Pediatrics",
			Volume: "150", Issue: "1", ArticleNumber: "e2022057990", DOI: "10.1542/peds.2022-057990"},
		apa: "Moon, R. Y., Carlin, R. F., & Hand, I. (2022). Sleep-related infant deaths: Updated 2022 recommendations for reducing infant deaths in the sleep environment. *Pediatrics*, *150*(1), Article e2022057990. https://doi.org/10.1542/peds.2022-057990",
		ama: "Moon RY, Carlin RF, Hand I. Sleep-related infant deaths: updated 2022 recommendations for reducing infant deaths in the sleep environment. *Pediatrics*. 2022;150(1):e2022057990. doi:10.1542/peds.2022-057990",
	},
	{
		name: "owens2000 three authors no DOI",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Owens", "Judith A."), pn("Spirito", "Anthony"), pn("McGuinn", "Melissa")}, Year: 2000,
			Title: "The Children's Sleep Habits Questionnaire (CSHQ): psychometric properties of a survey instrument for school-aged children", Container: "Sleep",
			Volume: "23", Issue: "8", Pages: "1043-1051"},
		apa: "Owens, J. A., Spirito, A., & McGuinn, M. (2000). The Children's Sleep Habits Questionnaire (CSHQ): Psychometric properties of a survey instrument for school-aged children. *Sleep*, *23*(8), 1043–1051.",
		ama: "Owens JA, Spirito A, McGuinn M. The Children's Sleep Habits Questionnaire (CSHQ): psychometric properties of a survey instrument for school-aged children. *Sleep*. 2000;23(8):1043-1051.",
	},
	{
		name: "price2012 four authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Price", "Anna M. H."), pn("Wake", "Melissa"), pn("Ukoumunne", "Obioha C."), pn("Hiscock", "Harriet")}, Year: 2012,
			Title: "Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial", Container: "Pediatrics",
			Volume: "130", Issue: "4", Pages: "643-651", DOI: "10.1542/peds.2011-3467"},
		apa: "Price, A. M. H., Wake, M., Ukoumunne, O. C., & Hiscock, H. (2012). Five-year follow-up of harms and benefits of behavioral infant sleep intervention: Randomized trial. *Pediatrics*, *130*(4), 643–651. https://doi.org/10.1542/peds.2011-3467",
		ama: "Price AMH, Wake M, Ukoumunne OC, Hiscock H. Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial. *Pediatrics*. 2012;130(4):643-651. doi:10.1542/peds.2011-3467",
	},
	{
		name: "galland2012 four authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Galland", "Barbara C."), pn("Taylor", "Barry J."), pn("Elder", "Dawn E."), pn("Herbison", "Peter")}, Year: 2012,
			Title: "Normal sleep patterns in infants and children: a systematic review of observational studies", Container: "Sleep Medicine Reviews", ContainerShort: "Sleep Med Rev",
			Volume: "16", Issue: "3", Pages: "213-222", DOI: "10.1016/j.smrv.2011.06.001"},
		apa: "Galland, B. C., Taylor, B. J., Elder, D. E., & Herbison, P. (2012). Normal sleep patterns in infants and children: A systematic review of observational studies. *Sleep Medicine Reviews*, *16*(3), 213–222. https://doi.org/10.1016/j.smrv.2011.06.001",
		ama: "Galland BC, Taylor BJ, Elder DE, Herbison P. Normal sleep patterns in infants and children: a systematic review of observational studies. *Sleep Med Rev*. 2012;16(3):213-222. doi:10.1016/j.smrv.2011.06.001",
	},
	{
		name: "sadeh2009 four authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi"), pn("Mindell", "Jodi A."), pn("Luedtke", "Kathryn"), pn("Wiegand", "Benjamin")}, Year: 2009,
			Title: "Sleep and sleep ecology in the first 3 years: a web-based study", Container: "Journal of Sleep Research", ContainerShort: "J Sleep Res",
			Volume: "18", Issue: "1", Pages: "60-73", DOI: "10.1111/j.1365-2869.2008.00699.x"},
		apa: "Sadeh, A., Mindell, J. A., Luedtke, K., & Wiegand, B. (2009). Sleep and sleep ecology in the first 3 years: A web-based study. *Journal of Sleep Research*, *18*(1), 60–73. https://doi.org/10.1111/j.1365-2869.2008.00699.x",
		ama: "Sadeh A, Mindell JA, Luedtke K, Wiegand B. Sleep and sleep ecology in the first 3 years: a web-based study. *J Sleep Res*. 2009;18(1):60-73. doi:10.1111/j.1365-2869.2008.00699.x",
	},
	{
		name: "henderson2010 four authors lettered pages",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Henderson", "Jacqueline M. T."), pn("France", "Karyn G."), pn("Owens", "Joseph L."), pn("Blampied", "Neville M.")}, Year: 2010,
			Title: "Sleeping through the night: the consolidation of self-regulated sleep across the first year of life", Container: "Pediatrics",
			Volume: "126", Issue: "5", Pages: "e1081-e1087", DOI: "10.1542/peds.2010-0976"},
		apa: "Henderson, J. M. T., France, K. G., Owens, J. L., & Blampied, N. M. (2010). Sleeping through the night: The consolidation of self-regulated sleep across the first year of life. *Pediatrics*, *126*(5), e1081–e1087. https://doi.org/10.1542/peds.2010-0976",
		ama: "Henderson JMT, France KG, Owens JL, Blampied NM. Sleeping through the night: the consolidation of self-regulated sleep across the first year of life. *Pediatrics*. 2010;126(5):e1081-e1087. doi:10.1542/peds.2010-0976",
	},
	{
		name: "mindell2009 four authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Telofski", "Lorena S."), pn("Wiegand", "Benjamin"), pn("Kurtz", "Ellen S.")}, Year: 2009,
			Title: "A nightly bedtime routine: impact on sleep in young children and maternal mood", Container: "Sleep",
			Volume: "32", Issue: "5", Pages: "599-606", DOI: "10.1093/sleep/32.5.599"},
		apa: "Mindell, J. A., Telofski, L. S., Wiegand, B., & Kurtz, E. S. (2009). A nightly bedtime routine: Impact on sleep in young children and maternal mood. *Sleep*, *32*(5), 599–606. https://doi.org/10.1093/sleep/32.5.599",
		ama: "Mindell JA, Telofski LS, Wiegand B, Kurtz ES. A nightly bedtime routine: impact on sleep in young children and maternal mood. *Sleep*. 2009;32(5):599-606. doi:10.1093/sleep/32.5.599",
	},
	{
		name: "iglowstein2003 four authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Iglowstein", "Ivo"), pn("Jenni", "Oskar G."), pn("Molinari", "Luciano"), pn("Largo", "Remo H.")}, Year: 2003,
			Title: "Sleep duration from infancy to adolescence: reference values and generational trends", Container: "Pediatrics",
			Volume: "111", Issue: "2", Pages: "302-307", DOI: "10.1542/peds.111.2.302"},
		apa: "Iglowstein, I., Jenni, O. G., Molinari, L., & Largo, R. H. (2003). Sleep duration from infancy to adolescence: Reference values and generational trends. *Pediatrics*, *111*(2), 302–307. https://doi.org/10.1542/peds.111.2.302",
		ama: "Iglowstein I, Jenni OG, Molinari L, Largo RH. Sleep duration from infancy to adolescence: reference values and generational trends. *Pediatrics*. 2003;111(2):302-307. doi:10.1542/peds.111.2.302",
	},
	{
		name: "mindell2006 five authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Kuhn", "Brett"), pn("Lewin", "Daniel S."), pn("Meltzer", "Lisa J."), pn("Sadeh", "Avi")}, Year: 2006,
			Title: "Behavioral treatment of bedtime problems and night wakings in infants and young children", Container: "Sleep",
			Volume: "29", Issue: "10", Pages: "1263-1276", DOI: "10.1093/sleep/29.10.1263", PMID: "17068979"},
		apa: "Mindell, J. A., Kuhn, B., Lewin, D. S., Meltzer, L. J., & Sadeh, A. (2006). Behavioral treatment of bedtime problems and night wakings in infants and young children. *Sleep*, *29*(10), 1263–1276. https://doi.org/10.1093/sleep/29.10.1263",
		ama: "Mindell JA, Kuhn B, Lewin DS, Meltzer LJ, Sadeh A. Behavioral treatment of bedtime problems and night wakings in infants and young children. *Sleep*. 2006;29(10):1263-1276. doi:10.1093/sleep/29.10.1263",
	},
	{
		name: "mindell2010 five authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Sadeh", "Avi"), pn("Wiegand", "Benjamin"), pn("How", "Ti Hwei"), pn("Goh", "Daniel Y. T.")}, Year: 2010,
			Title: "Cross-cultural differences in infant and toddler sleep", Container: "Sleep Medicine", ContainerShort: "Sleep Med",
			Volume: "11", Issue: "3", Pages: "274-280", DOI: "10.1016/j.sleep.2009.04.012"},
		apa: "Mindell, J. A., Sadeh, A., Wiegand, B., How, T. H., & Goh, D. Y. T. (2010). Cross-cultural differences in infant and toddler sleep. *Sleep Medicine*, *11*(3), 274–280. https://doi.org/10.1016/j.sleep.2009.04.012",
		ama: "Mindell JA, Sadeh A, Wiegand B, How TH, Goh DYT. Cross-cultural differences in infant and toddler sleep. *Sleep Med*. 2010;11(3):274-280. doi:10.1016/j.sleep.2009.04.012",
	},
	// 6 authors: the most AMA lists in full.
	{
		name: "mindell2016 six authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Leichman", "Erin S."), pn("Composto", "Joanna"), pn("Lee", "Christina"), pn("Bhullar", "Bhavneet"), pn("Walters", "Russel M.")}, Year: 2016,
			Title: "Development of infant and toddler sleep patterns: real-world data from a mobile application", Container: "Journal of Sleep Research", ContainerShort: "J Sleep Res",
			Volume: "25", Issue: "5", Pages: "508-516", DOI: "10.1111/jsr.12414"},
		apa: "Mindell, J. A., Leichman, E. S., Composto, J., Lee, C., Bhullar, B., & Walters, R. M. (2016). Development of infant and toddler sleep patterns: Real-world data from a mobile application. *Journal of Sleep Research*, *25*(5), 508–516. https://doi.org/10.1111/jsr.12414",
		ama: "Mindell JA, Leichman ES, Composto J, Lee C, Bhullar B, Walters RM. Development of infant and toddler sleep patterns: real-world data from a mobile application. *J Sleep Res*. 2016;25(5):508-516. doi:10.1111/jsr.12414",
	},
	{
		name: "hiscock2007 six authors",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Hiscock", "Harriet"), pn("Bayer", "Jordana"), pn("Gold", "Lisa"), pn("Hampton", "Anne"), pn("Ukoumunne", "Obioha C."), pn("Wake", "Melissa")}, Year: 2007,
			Title: "Improving infant sleep and maternal mental health: a cluster randomised trial", Container: "Archives of Disease in Childhood", ContainerShort: "Arch Dis Child",
			Volume: "92", Issue: "11", Pages: "952-958", DOI: "10.1136/adc.2006.099812"},
		apa: "Hiscock, H., Bayer, J., Gold, L., Hampton, A., Ukoumunne, O. C., & Wake, M. (2007). Improving infant sleep and maternal mental health: A cluster randomised trial. *Archives of Disease in Childhood*, *92*(11), 952–958. https://doi.org/10.1136/adc.2006.099812",
		ama: "Hiscock H, Bayer J, Gold L, Hampton A, Ukoumunne OC, Wake M. Improving infant sleep and maternal mental health: a cluster randomised trial. *Arch Dis Child*. 2007;92(11):952-958. doi:10.1136/adc.2006.099812",
	},
	{
		name: "blair2009 six authors hyphenated article number no issue",
		c: cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Blair", "Peter S."), pn("Sidebotham", "Peter"), pn("Evason-Coombe", "Carol"), pn("Edmonds", "Margaret"), pn("Heckstall-Smith", "Ellen M. A."), pn("Fleming", "Peter")}, Year: 2009,
			Title: "Hazardous cosleeping environments and risk factors amenable to change: case-control study of SIDS in south west England", Container: "BMJ",
			Volume: "339", ArticleNumber: "b3666", DOI: "10.1136/bmj.b3666"},
		apa: "Blair, P. S., Sidebotham, P., Evason-Coombe, C., Edmonds, M., Heckstall-Smith, E. M. A., & Fleming, P. (2009). Hazardous cosleeping environments and risk factors amenable to change: Case-control study of SIDS in south west England. *BMJ*, *339*, Article b3666. https://doi.org/10.1136/bmj.b3666",
		ama: "Blair PS, Sidebotham P, Evason-Coombe C, Edmonds M, Heckstall-Smith EMA, Fleming P. Hazardous cosleeping environments and risk factors amenable to change: case-control study of SIDS in south west England. *BMJ*. 2009;339:b3666. doi:10.1136/bmj.b3666",
	},
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

// wantText drops the italic markers.
func wantText(marked string) string { return strings.ReplaceAll(marked, "*", "") }

// wantHTML escapes the marked form, turns *…* into <i>…</i> and the last
// word, when it is a DOI or URL, into a link.
func wantHTML(marked string) string {
	link := ""
	if i := strings.LastIndexByte(marked, ' '); i >= 0 {
		last := marked[i+1:]
		switch {
		case strings.HasPrefix(last, "doi:"):
			link = `<a href="https://doi.org/` + html.EscapeString(last[4:]) + `">` + html.EscapeString(last) + `</a>`
		case strings.HasPrefix(last, "https://") || strings.HasPrefix(last, "http://"):
			link = `<a href="` + html.EscapeString(last) + `">` + html.EscapeString(last) + `</a>`
		}
		if link != "" {
			marked = marked[:i+1]
		}
	}
	parts := strings.Split(marked, "*")
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			if i%2 == 1 {
				b.WriteString("<i>")
			} else {
				b.WriteString("</i>")
			}
		}
		b.WriteString(html.EscapeString(p))
	}
	return b.String() + link
}

// checkFormatted compares got with the marked form written by hand.
func checkFormatted(t *testing.T, style string, got cite.Formatted, marked string) {
	t.Helper()
	if w := wantText(marked); got.Text != w {
		t.Errorf("%s text\n got: %s\nwant: %s", style, got.Text, w)
	}
	if w := wantHTML(marked); got.HTML != w {
		t.Errorf("%s HTML\n got: %s\nwant: %s", style, got.HTML, w)
	}
}

func TestCitationFormatRealReferences(t *testing.T) {
	if len(realReferences) < 30 {
		t.Fatalf("only %d real references: the issue asks for at least 30", len(realReferences))
	}
	types := map[cite.Type]int{}
	for _, rr := range realReferences {
		t.Run(rr.name, func(t *testing.T) {
			c := rr.c
			c.Normalize()
			types[c.Type]++
			checkFormatted(t, "APA", cite.FormatAPA(&c), rr.apa)
			checkFormatted(t, "AMA", cite.FormatAMA(&c), rr.ama)
		})
	}
	for _, typ := range []cite.Type{cite.Article, cite.Book, cite.Chapter, cite.Report, cite.Webpage} {
		if types[typ] == 0 {
			t.Errorf("no real reference of type %s", typ)
		}
	}
}

// A few HTML forms written out in full, independent of wantHTML.
func TestCitationFormatHTMLExact(t *testing.T) {
	byName := map[string]cite.Reference{}
	for _, rr := range realReferences {
		c := rr.c
		c.Normalize()
		byName[rr.name] = c
	}
	tests := []struct {
		name, style, want string
	}{
		{"price2012 four authors", "APA", `Price, A. M. H., Wake, M., Ukoumunne, O. C., &amp; Hiscock, H. (2012). Five-year follow-up of harms and benefits of behavioral infant sleep intervention: Randomized trial. <i>Pediatrics</i>, <i>130</i>(4), 643–651. <a href="https://doi.org/10.1542/peds.2011-3467">https://doi.org/10.1542/peds.2011-3467</a>`},
		{"price2012 four authors", "AMA", `Price AMH, Wake M, Ukoumunne OC, Hiscock H. Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial. <i>Pediatrics</i>. 2012;130(4):643-651. <a href="https://doi.org/10.1542/peds.2011-3467">doi:10.1542/peds.2011-3467</a>`},
		{"paruthi2016 thirteen authors apostrophe", "AMA", `Paruthi S, Brooks LJ, D&#39;Ambrosio C, et al. Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine. <i>J Clin Sleep Med</i>. 2016;12(6):785-786. <a href="https://doi.org/10.5664/jcsm.5866">doi:10.5664/jcsm.5866</a>`},
		{"douglas2013 two authors", "APA", `Douglas, P. S., &amp; Hill, P. S. (2013). Behavioral sleep interventions in the first six months of life do not improve outcomes for mothers or infants: A systematic review. <i>Journal of Developmental &amp; Behavioral Pediatrics</i>, <i>34</i>(7), 497–507. <a href="https://doi.org/10.1097/DBP.0b013e31829cafa6">https://doi.org/10.1097/DBP.0b013e31829cafa6</a>`},
		{"carskadon2011 chapter", "APA", `Carskadon, M. A., &amp; Dement, W. C. (2011). Normal human sleep: An overview. In M. H. Kryger, T. Roth, &amp; W. C. Dement (Eds.), <i>Principles and practice of sleep medicine</i> (5th ed., pp. 16–26). Elsevier Saunders.`},
		{"kryger2017 edited book", "AMA", `Kryger MH, Roth T, Dement WC, eds. <i>Principles and Practice of Sleep Medicine</i>. 6th ed. Elsevier; 2017.`},
		{"nhs web page author is site", "APA", `NHS. (n.d.). <i>Helping your baby to sleep</i>. Retrieved March 4, 2024, from <a href="https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/">https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/</a>`},
		{"healthychildren web page", "AMA", `American Academy of Pediatrics. How to keep your sleeping baby safe: AAP policy explained. HealthyChildren.org. Accessed March 4, 2024. <a href="https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx">https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx</a>`},
	}
	for _, tt := range tests {
		c, ok := byName[tt.name]
		if !ok {
			t.Fatalf("no reference %q", tt.name)
		}
		got := cite.FormatAPA(&c)
		if tt.style == "AMA" {
			got = cite.FormatAMA(&c)
		}
		if got.HTML != tt.want {
			t.Errorf("%s %s HTML\n got: %s\nwant: %s", tt.name, tt.style, got.HTML, tt.want)
		}
	}
}

// Rules exercised with made-up works (not real references).
func TestCitationFormatAPAAMARules(t *testing.T) {
	many := func(n int) []cite.Name {
		ns := make([]cite.Name, n)
		for i := range ns {
			ns[i] = pn("Author"+string(rune('A'+i%26))+strings.Repeat("x", i/26), "Given Middle")
		}
		return ns
	}
	tests := []struct {
		name     string
		c        cite.Reference
		apa, ama string
	}{
		{
			// 25 placeholder authors (not a real paper): APA gives the
			// first 19, an ellipsis and the last; AMA the first 3.
			name: "APA21PlusAuthors",
			c:    cite.Reference{Type: cite.Article, Authors: many(25), Year: 2020, Title: "A large trial", Container: "Journal", Volume: "1", Pages: "1-2"},
			apa: "AuthorA, G. M., AuthorB, G. M., AuthorC, G. M., AuthorD, G. M., AuthorE, G. M., AuthorF, G. M., AuthorG, G. M., AuthorH, G. M., AuthorI, G. M., AuthorJ, G. M., " +
				"AuthorK, G. M., AuthorL, G. M., AuthorM, G. M., AuthorN, G. M., AuthorO, G. M., AuthorP, G. M., AuthorQ, G. M., AuthorR, G. M., AuthorS, G. M., . . . AuthorY, G. M. (2020). A large trial. *Journal*, *1*, 1–2.",
			ama: "AuthorA GM, AuthorB GM, AuthorC GM, et al. A large trial. *Journal*. 2020;1:1-2.",
		},
		{
			name: "AMASevenAuthors",
			c:    cite.Reference{Type: cite.Article, Authors: many(7), Year: 2020, Title: "Seven", Container: "J"},
			apa:  "AuthorA, G. M., AuthorB, G. M., AuthorC, G. M., AuthorD, G. M., AuthorE, G. M., AuthorF, G. M., & AuthorG, G. M. (2020). Seven. *J*.",
			ama:  "AuthorA GM, AuthorB GM, AuthorC GM, et al. Seven. *J*. 2020.",
		},
		{
			name: "WebPageDatedHyphenatedGiven",
			c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{pn("Dupont", "Jean-Pierre")}, Year: 2023, Month: 3, Day: 4,
				Title: "Why do babies wake?", Container: "Sleep Blog", URL: "https://example.org/wake?x=1&y=2", Accessed: "2024-01-02"},
			apa: "Dupont, J.-P. (2023, March 4). *Why do babies wake?* Sleep Blog. https://example.org/wake?x=1&y=2",
			ama: "Dupont J-P. Why do babies wake? Sleep Blog. Published March 4, 2023. Accessed January 2, 2024. https://example.org/wake?x=1&y=2",
		},
		{
			name: "NoAuthorNoDate",
			c:    cite.Reference{Type: cite.Report, Title: "Untitled guidance", Publisher: "Some Agency"},
			apa:  "*Untitled guidance*. (n.d.). Some Agency.",
			ama:  "*Untitled guidance*. Some Agency.",
		},
		{
			name: "ChapterOneEditorSinglePage",
			c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Smith", "Ann")}, Editors: []cite.Name{pn("Jones", "Bob")}, Year: 2001,
				Title: "A chapter", Container: "A Book", Pages: "7", Publisher: "Press"},
			apa: "Smith, A. (2001). A chapter. In B. Jones (Ed.), *A book* (p. 7). Press.",
			ama: "Smith A. A chapter. In: Jones B, ed. *A Book*. Press; 2001:7.",
		},
		{
			name: "ChapterTwoEditors",
			c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Smith", "Ann")}, Editors: []cite.Name{pn("Jones", "Bob"), pn("Brown", "Cy")}, Year: 2001,
				Title: "A chapter", Container: "A Book", Pages: "7--9", Publisher: "Press"},
			apa: "Smith, A. (2001). A chapter. In B. Jones & C. Brown (Eds.), *A book* (pp. 7–9). Press.",
			ama: "Smith A. A chapter. In: Jones B, Brown C, eds. *A Book*. Press; 2001:7-9.",
		},
		{
			name: "PubMedStyleInitials",
			c:    cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Price", "AMH")}, Year: 2012, Title: "T", Container: "J"},
			apa:  "Price, A. M. H. (2012). T. *J*.",
			ama:  "Price AMH. T. *J*. 2012.",
		},
		{
			name: "AbbreviatedPagesInFull",
			c:    cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A")}, Year: 2006, Title: "T", Container: "Sleep", Volume: "29", Issue: "10", Pages: "1263--76"},
			apa:  "Mindell, J. A. (2006). T. *Sleep*, *29*(10), 1263–1276.",
			ama:  "Mindell JA. T. *Sleep*. 2006;29(10):1263-1276.",
		},
		{
			name: "BadURLLeftOut",
			c:    cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("Org")}, Year: 2020, Title: "T", URL: "javascript:alert(1)"},
			apa:  "Org. (2020). *T*.",
			ama:  "Org. T. Published 2020.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, m := cite.FormatAPA(&tt.c), cite.FormatAMA(&tt.c)
			if w := wantText(tt.apa); a.Text != w {
				t.Errorf("APA\n got: %s\nwant: %s", a.Text, w)
			}
			if w := wantHTML(tt.apa); a.HTML != w {
				t.Errorf("APA HTML\n got: %s\nwant: %s", a.HTML, w)
			}
			if w := wantText(tt.ama); m.Text != w {
				t.Errorf("AMA\n got: %s\nwant: %s", m.Text, w)
			}
			if w := wantHTML(tt.ama); m.HTML != w {
				t.Errorf("AMA HTML\n got: %s\nwant: %s", m.HTML, w)
			}
		})
	}
}

func TestCitationFormatHTMLInTitleIsEscaped(t *testing.T) {
	c := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("<b>Evil</b>", "<script>")}, Year: 2020,
		Title: `<script>alert("x")</script> & <img src=x onerror=alert(1)>`, Container: "<i>J</i>", DOI: `10.1234/a"><script>`}
	for _, f := range []cite.Formatted{cite.FormatAPA(&c), cite.FormatAMA(&c)} {
		if strings.Contains(f.HTML, "<script") || strings.Contains(f.HTML, "<img") || strings.Contains(f.HTML, "<b>") {
			t.Errorf("unescaped HTML: %s", f.HTML)
		}
		if !strings.Contains(f.Text, `<script>alert("x")</script> & <img src=x onerror=alert(1)>`) {
			t.Errorf("text lost the title as entered: %s", f.Text)
		}
		if !strings.Contains(f.HTML, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;`) {
			t.Errorf("title not escaped as expected: %s", f.HTML)
		}
		if !strings.Contains(f.HTML, `href="https://doi.org/10.1234/a%22%3E%3Cscript%3E"`) {
			t.Errorf("DOI link not encoded: %s", f.HTML)
		}
	}
}

func TestCitationAPAInText(t *testing.T) {
	one := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi")}, Year: 2011}
	two := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Price", "A"), pn("Smith", "B")}, Year: 2012}
	four := realReferences[8].c
	orgc := cite.Reference{Type: cite.Report, Authors: []cite.Name{org("World Health Organization")}, Year: 2019}
	nd := cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("NHS")}}
	noAuthor := cite.Reference{Type: cite.Article, Title: "Sleep facts", Year: 2001}
	edited := cite.Reference{Type: cite.Book, Editors: []cite.Name{pn("Kryger", "M"), pn("Roth", "T"), pn("Dement", "W")}, Year: 2017}
	tests := []struct {
		c       cite.Reference
		locator string
		want    string
	}{
		{one, "", "Sadeh, 2011"},
		{two, "", "Price & Smith, 2012"},
		{four, "", "Price et al., 2012"},
		{four, "p. 645", "Price et al., 2012, p. 645"},
		{orgc, "", "World Health Organization, 2019"},
		{nd, "", "NHS, n.d."},
		{noAuthor, "", "“Sleep facts”, 2001"},
		{edited, "pp. 3–4", "Kryger et al., 2017, pp. 3–4"},
	}
	for _, tt := range tests {
		if got := cite.APAInText(&tt.c, tt.locator); got != tt.want {
			t.Errorf("APAInText(%v, %q) = %q, want %q", tt.c.Authors, tt.locator, got, tt.want)
		}
	}
}

func TestCitationCSLJSON(t *testing.T) {
	c := realReferences[8].c // price2012
	c.Key, c.PMID = "price2012", "22966034"
	got, err := json.Marshal(cite.CSLJSON(&c))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"price2012","type":"article-journal","title":"Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial","container-title":"Pediatrics",` +
		`"author":[{"family":"Price","given":"Anna M. H."},{"family":"Wake","given":"Melissa"},{"family":"Ukoumunne","given":"Obioha C."},{"family":"Hiscock","given":"Harriet"}],` +
		`"issued":{"date-parts":[[2012]]},"volume":"130","issue":"4","page":"643–651","DOI":"10.1542/peds.2011-3467","PMID":"22966034"}`
	if string(got) != want {
		t.Errorf("CSL-JSON\n got: %s\nwant: %s", got, want)
	}

	web := realReferences[len(realReferences)-1].c
	web.Key = "aap-nd"
	web.Year, web.Month, web.Day = 2023, 3, 4
	got, _ = json.Marshal(cite.CSLJSON(&web))
	want = `{"id":"aap-nd","type":"webpage","title":"How to keep your sleeping baby safe: AAP policy explained","container-title":"HealthyChildren.org","author":[{"literal":"American Academy of Pediatrics"}],` +
		`"issued":{"date-parts":[[2023,3,4]]},"accessed":{"date-parts":[[2024,3,4]]},"URL":"https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx"}`
	if string(got) != want {
		t.Errorf("CSL-JSON\n got: %s\nwant: %s", got, want)
	}

	ch := realReferences[len(realReferences)-4].c // carskadon2011 chapter
	it := cite.CSLJSON(&ch)
	if it.Type != "chapter" || len(it.Editor) != 3 || it.Editor[0].Family != "Kryger" || it.Edition != "5" || it.Page != "16–26" {
		t.Errorf("chapter CSL item: %+v", it)
	}
}

// checkImported runs everything a parsed citation goes through and checks
// that the HTML is safe: only <i> and <a href="http(s)://…"> tags, no
// script, no javascript: in any attribute, and the same words as the text.
func checkImported(t *testing.T, c *cite.Reference) {
	t.Helper()
	_ = cite.APAInText(c, "p. 1")
	if _, err := json.Marshal(cite.CSLJSON(c)); err != nil {
		t.Fatalf("CSL-JSON: %v", err)
	}
	for _, f := range []cite.Formatted{cite.FormatAPA(c), cite.FormatAMA(c)} {
		checkSafeHTML(t, f)
	}
}

func checkSafeHTML(t *testing.T, f cite.Formatted) {
	t.Helper()
	if strings.Contains(strings.ToLower(f.HTML), "<script") {
		t.Fatalf("<script in %q", f.HTML)
	}
	var text strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(f.HTML))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case xhtml.TextToken:
			text.WriteString(tok.Data)
		case xhtml.StartTagToken, xhtml.EndTagToken:
			switch tok.Data {
			case "i":
				if len(tok.Attr) > 0 {
					t.Fatalf("attributes on <i> in %q", f.HTML)
				}
			case "a":
				if tt == xhtml.EndTagToken {
					break
				}
				if len(tok.Attr) != 1 || tok.Attr[0].Key != "href" {
					t.Fatalf("unexpected attributes %v in %q", tok.Attr, f.HTML)
				}
				h := tok.Attr[0].Val
				if !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "http://") || strings.Contains(strings.ToLower(h), "javascript:") {
					t.Fatalf("unsafe href %q in %q", h, f.HTML)
				}
			default:
				t.Fatalf("unexpected tag <%s> in %q", tok.Data, f.HTML)
			}
		default:
			t.Fatalf("unexpected token %v in %q", tt, f.HTML)
		}
	}
	if text.String() != f.Text {
		t.Fatalf("HTML text differs from Text\nhtml: %q\ntext: %q", text.String(), f.Text)
	}
}

// isCiteError reports whether err is cite's own error value.
func isCiteError(err error) bool {
	var ce *cite.Error
	return errors.As(err, &ce) && ce.Message != "" && ce.Field == "text"
}

// isTooLarge reports whether err is cite's error for input over the limits.
func isTooLarge(err error) bool {
	var ce *cite.Error
	return errors.As(err, &ce) && ce.TooLarge
}
