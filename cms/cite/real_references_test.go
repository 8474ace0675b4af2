package cite_test

import "github.com/lullabycms/lullaby/cms/cite"

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

// realReferences is every real reference: articles here, the other kinds
// in real_references_more_test.go.
var realReferences = append(append(realArticles, realManyAuthors...), realOtherWorks...)

var realArticles = []realReference{
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
}
