"""The demo organisation: its offices, people, spaces and files, written out so the demo reads like a real company.

Skill names are ESCO preferred labels (see /work/shared/data/skills), matched case-insensitively.
"""

SITES = {
    "london": ("London", "United Kingdom", "Europe/London"),
    "new-york": ("New York", "United States", "America/New_York"),
    "singapore": ("Singapore", "Singapore", "Asia/Singapore"),
    "sao-paulo": ("São Paulo", "Brazil", "America/Sao_Paulo"),
}

# Where people sit: the office's neighbourhood, or a city they work from remotely.
LOCATIONS = {
    "london": ("King's Cross", ["Manchester", "Bristol", "Edinburgh"]),
    "new-york": ("Flatiron", ["Boston", "Philadelphia", "Toronto"]),
    "singapore": ("Tanjong Pagar", ["Kuala Lumpur", "Jakarta"]),
    "sao-paulo": ("Pinheiros", ["Rio de Janeiro", "Curitiba"]),
}

# The personas every test and the README talk about, in the order they are created.
PERSONAS = ("alice", "mo", "lee", "ada", "gus", "olly")

# username, first name, last name, site, department, job title, languages
PEOPLE = [
    ("alice", "Alice", "Martin", "london", "Data & Analytics", "Junior Data Analyst", ["en", "fr"]),
    ("mo", "Mo", "Haddad", "london", "Engineering", "Staff Software Engineer", ["en", "ar"]),
    ("lee", "Lee", "Chen", "singapore", "People & Learning", "Learning & Development Lead", ["en", "zh", "ms"]),
    ("ada", "Ada", "Okafor", "new-york", "Operations", "IT Systems Administrator", ["en", "ig"]),
    ("gus", "Gustavo", "Pereira", "sao-paulo", "Engineering", "Contract QA Engineer", ["pt", "en", "es"]),
    ("olly", "Olly", "Brooks", "london", "Finance", "Corporate Development Analyst", ["en", "de"]),
    ("priya", "Priya", "Shah", "london", "Data & Analytics", "Head of Data", ["en", "hi", "gu"]),
    ("tom", "Tom", "Hughes", "london", "Engineering", "Backend Engineer", ["en"]),
    ("sophie", "Sophie", "Clarke", "london", "Product", "Product Manager", ["en", "es"]),
    ("oliver", "Oliver", "Bennett", "london", "Design", "Senior Product Designer", ["en"]),
    ("amara", "Amara", "Okoye", "london", "Engineering", "Engineering Manager", ["en", "yo"]),
    ("james", "James", "Whitfield", "london", "Finance", "Financial Controller", ["en"]),
    ("hannah", "Hannah", "Kowalski", "london", "People & Learning", "People Partner", ["en", "pl"]),
    ("rhys", "Rhys", "Evans", "london", "Operations", "IT Support Specialist", ["en", "cy"]),
    ("fatima", "Fatima", "Rahman", "london", "Legal", "Senior Counsel", ["en", "bn"]),
    ("daniel", "Daniel", "Cohen", "london", "Marketing", "Content Marketing Lead", ["en", "he"]),
    ("grace", "Grace", "Liu", "london", "Data & Analytics", "Machine Learning Engineer", ["en", "zh"]),
    ("ewan", "Ewan", "MacLeod", "london", "Sales", "Account Executive", ["en", "gd"]),
    ("jamal", "Jamal", "Carter", "new-york", "Sales", "Sales Director", ["en"]),
    ("sarah", "Sarah", "Goldberg", "new-york", "Legal", "General Counsel", ["en", "he"]),
    ("miguel", "Miguel", "Torres", "new-york", "Engineering", "Frontend Engineer", ["en", "es"]),
    ("emily", "Emily", "Nguyen", "new-york", "Product", "Senior Product Manager", ["en", "vi"]),
    ("marcus", "Marcus", "Johnson", "new-york", "Customer Success", "Customer Success Manager", ["en"]),
    ("rachel", "Rachel", "Kim", "new-york", "Marketing", "Marketing Director", ["en", "ko"]),
    ("david", "David", "Rosen", "new-york", "Finance", "Chief Financial Officer", ["en"]),
    ("lauren", "Lauren", "Walsh", "new-york", "People & Learning", "Talent Acquisition Partner", ["en"]),
    ("kevin", "Kevin", "Patel", "new-york", "Engineering", "Site Reliability Engineer", ["en", "hi"]),
    ("nia", "Nia", "Robinson", "new-york", "Design", "UX Researcher", ["en"]),
    ("chris", "Chris", "O'Brien", "new-york", "Data & Analytics", "Analytics Engineer", ["en", "ga"]),
    ("isabella", "Isabella", "Rossi", "new-york", "Marketing", "Social Media Manager", ["en", "it"]),
    ("tyler", "Tyler", "Reed", "new-york", "Sales", "Sales Development Representative", ["en"]),
    ("aisha", "Aisha", "Mohammed", "new-york", "Customer Success", "Support Team Lead", ["en", "ar", "sw"]),
    ("kenji", "Kenji", "Watanabe", "singapore", "Engineering", "Platform Engineering Manager", ["en", "ja"]),
    ("weiling", "Wei Ling", "Tan", "singapore", "Data & Analytics", "Data Scientist", ["en", "zh"]),
    ("arjun", "Arjun", "Nair", "singapore", "Engineering", "DevOps Engineer", ["en", "ml", "ta"]),
    ("siti", "Siti", "Rahmah", "singapore", "Customer Success", "Customer Success Manager", ["en", "ms"]),
    ("ravi", "Ravi", "Kumar", "singapore", "Finance", "Financial Analyst", ["en", "ta"]),
    ("meilin", "Mei Lin", "Wong", "singapore", "Marketing", "Regional Marketing Manager, APAC", ["en", "zh"]),
    ("jun", "Jun", "Park", "singapore", "Engineering", "Mobile Engineer", ["en", "ko"]),
    ("nurul", "Nurul", "Huda", "singapore", "Operations", "Office & Facilities Manager", ["en", "ms"]),
    ("ethan", "Ethan", "Lim", "singapore", "Sales", "Enterprise Account Executive, APAC", ["en", "zh"]),
    ("priyanka", "Priyanka", "Menon", "singapore", "Legal", "Legal & Compliance Manager", ["en", "ml"]),
    ("vincent", "Vincent", "Goh", "singapore", "Product", "Product Owner", ["en", "zh"]),
    ("anh", "Anh", "Tran", "singapore", "Design", "Interaction Designer", ["en", "vi"]),
    ("farid", "Farid", "Ismail", "singapore", "Engineering", "Security Engineer", ["en", "ms", "ar"]),
    ("hana", "Hana", "Yoshida", "singapore", "Data & Analytics", "BI Developer", ["en", "ja"]),
    ("beatriz", "Beatriz", "Costa", "sao-paulo", "Customer Success", "Head of Customer Insights", ["pt", "en"]),
    ("lucas", "Lucas", "Almeida", "sao-paulo", "Engineering", "Backend Engineer", ["pt", "en"]),
    ("camila", "Camila", "Rocha", "sao-paulo", "Design", "Product Designer", ["pt", "en", "es"]),
    ("rafael", "Rafael", "Souza", "sao-paulo", "Sales", "Sales Manager, Latin America", ["pt", "es", "en"]),
    ("juliana", "Juliana", "Ferreira", "sao-paulo", "Marketing", "Growth Marketing Analyst", ["pt", "en"]),
    ("thiago", "Thiago", "Oliveira", "sao-paulo", "Data & Analytics", "Data Engineer", ["pt", "en"]),
    ("larissa", "Larissa", "Santos", "sao-paulo", "People & Learning", "Learning Experience Designer", ["pt", "en"]),
    ("felipe", "Felipe", "Ribeiro", "sao-paulo", "Finance", "Accountant", ["pt", "en"]),
    ("mariana", "Mariana", "Lima", "sao-paulo", "Customer Success", "Support Specialist", ["pt", "es", "en"]),
    ("bruno", "Bruno", "Carvalho", "sao-paulo", "Engineering", "QA Lead", ["pt", "en"]),
    ("ana", "Ana", "Gomes", "sao-paulo", "Legal", "Paralegal", ["pt", "en"]),
    ("pedro", "Pedro", "Martins", "sao-paulo", "Operations", "IT Service Desk Analyst", ["pt", "en"]),
    ("leticia", "Letícia", "Barbosa", "sao-paulo", "Product", "Product Analyst", ["pt", "en"]),
    ("rodrigo", "Rodrigo", "Nunes", "sao-paulo", "Customer Success", "Implementation Consultant", ["pt", "es", "en"]),
]

ROLES = {"lee": "curator", "ada": "admin", "gus": "guest"}

BIOS = {
    "alice": (
        "I joined the data team in London this year after a degree in economics. I am learning Python and SQL "
        "and would love a mentor for statistics. Ask me about survey design or the best coffee near the office."
    ),
    "mo": (
        "Staff engineer on checkout and payments. Fifteen years of building web services, the last eight in "
        "Python. I mentor four people at the moment and run the Python Practice community: bring me your "
        "code reviews, your flaky tests and your career questions."
    ),
    "lee": (
        "I look after learning and development across our four offices: mentoring programmes, the course "
        "catalogue and the reading lists. If you want to learn something and do not know where to start, "
        "message me."
    ),
    "ada": (
        "I run our internal systems from New York: accounts, single sign-on, devices and this platform. "
        "Security awareness is my soapbox. Open a ticket or find me in Platform Engineering."
    ),
    "gus": (
        "Contract QA engineer from Pereira Testing, working with the checkout team on the redesign. "
        "Test automation, exploratory testing and accessibility audits."
    ),
    "olly": (
        "Corporate development in London: market sizing, deal models and due diligence. Previously an "
        "analyst in investment banking. Happy to talk about financial modelling."
    ),
}

BACKGROUNDS = [
    "Before this I spent five years in consulting",
    "I came here from a fintech start-up",
    "I started in customer support and moved across",
    "I studied physics and drifted into software",
    "I moved over from our agency partner two years ago",
    "I have been here since the company was forty people",
    "I retrained through a bootcamp after a career in teaching",
    "Previously I worked in retail banking",
    "I joined straight from university",
    "I spent a few years freelancing first",
]

INTERESTS = [
    "running",
    "sourdough baking",
    "chess",
    "climbing",
    "photography",
    "jazz",
    "board games",
    "gardening",
    "cycling",
    "podcasts",
    "science fiction",
    "Kaggle competitions",
    "open source",
    "public speaking",
    "learning Japanese",
    "salsa dancing",
    "football",
    "volunteering",
    "hiking",
    "cooking",
    "film",
    "mechanical keyboards",
    "yoga",
    "sketching",
]

# Skills by department: the pool people draw what they have, want and teach from.
DEPARTMENT_SKILLS = {
    "Engineering": [
        "computer programming",
        "programming computer systems",
        "software and applications development and analysis",
        "designing ict systems or applications",
        "database and network design and administration",
        "solve technical problems",
        "resolving computer problems",
        "apply digital security measures",
        "documenting technical designs, procedures, problems or activities",
        "work in teams",
    ],
    "Data & Analytics": [
        "statistics",
        "analysing and evaluating information and data",
        "digital data processing",
        "think analytically",
        "mathematics",
        "manage data, information and digital content",
        "presenting research or technical information",
        "interpret mathematical information",
        "calculate probabilities",
        "computer programming",
    ],
    "Product": [
        "designing systems and products",
        "conducting academic or market research",
        "identifying opportunities",
        "engaging with others to identify needs",
        "directing, supervising and coordinating projects",
        "analysing business operations",
        "make decisions",
    ],
    "Design": [
        "creating artistic, visual or instructive materials",
        "designing systems and products",
        "think creatively",
        "digital content creation",
        "conducting academic or market research",
        "interviewing",
        "creatively use digital technologies",
    ],
    "Sales": [
        "selling products or services",
        "negotiating",
        "developing professional relationships or networks",
        "communicating with colleagues and clients",
        "advising on products and services",
        "build networks",
        "address an audience",
    ],
    "Customer Success": [
        "responding to complaints",
        "communicating with colleagues and clients",
        "advising on products and services",
        "show empathy",
        "resolve conflicts",
        "engaging with others to identify needs",
        "instruct others",
    ],
    "Marketing": [
        "marketing and advertising",
        "promoting products, services, or programs",
        "develop digital content",
        "artistic and creative writing",
        "promote ideas, products, services",
        "developing financial, business or marketing plans",
        "think creatively",
    ],
    "Finance": [
        "accounting and taxation",
        "managing budgets or finances",
        "analysing financial and economic data",
        "preparing financial documents, records, reports, or budgets",
        "finance, banking and insurance",
        "attend to detail",
        "performing risk analysis and management",
    ],
    "People & Learning": [
        "coaching and mentoring",
        "developing educational programmes",
        "teaching and training",
        "recruiting and hiring",
        "giving feedback",
        "moderate a discussion",
        "planning events and programmes",
        "interviewing",
    ],
    "Operations": [
        "setting up computer systems",
        "protect ICT devices",
        "monitoring safety or security",
        "managing information",
        "ICT safety",
        "developing operational policies and procedures",
        "comply with regulations",
    ],
    "Legal": [
        "law",
        "advising on legal, regulatory or procedural matters",
        "negotiating and managing contracts and agreements",
        "protect personal data and privacy",
        "respect confidentiality obligations",
        "technical or academic writing",
    ],
}

# Skills anyone may want to grow, whatever their department.
COMMON_SKILLS = [
    "leading and motivating",
    "manage time",
    "adapt to change",
    "demonstrate willingness to learn",
    "using foreign languages",
    "think critically",
    "lead others",
    "giving feedback",
    "address an audience",
    "coaching and mentoring",
    "statistics",
    "computer programming",
]

# Hand-written skills for the personas: (skill, direction, level).
PERSONA_SKILLS = {
    "alice": [
        ("statistics", "has", 2),
        ("digital data processing", "has", 2),
        ("presenting research or technical information", "has", 1),
        ("computer programming", "wants", 1),
        ("analysing and evaluating information and data", "wants", 2),
        ("calculate probabilities", "wants", 1),
    ],
    "mo": [
        ("computer programming", "teaches", 4),
        ("programming computer systems", "teaches", 4),
        ("software and applications development and analysis", "teaches", 4),
        ("designing ict systems or applications", "teaches", 3),
        ("coaching and mentoring", "teaches", 3),
        ("computer programming", "has", 4),
        ("database and network design and administration", "has", 3),
        ("leading and motivating", "wants", 2),
    ],
    "lee": [
        ("developing educational programmes", "teaches", 4),
        ("coaching and mentoring", "teaches", 4),
        ("moderate a discussion", "has", 3),
        ("planning events and programmes", "has", 4),
        ("statistics", "wants", 1),
    ],
    "ada": [
        ("setting up computer systems", "teaches", 4),
        ("apply digital security measures", "teaches", 4),
        ("protect ICT devices", "has", 4),
        ("ICT safety", "has", 4),
        ("computer programming", "has", 2),
    ],
    "gus": [
        ("solve technical problems", "has", 3),
        ("evaluating systems, programmes, equipment and products", "has", 3),
        ("computer programming", "has", 2),
        ("using foreign languages", "has", 3),
    ],
    "olly": [
        ("analysing financial and economic data", "teaches", 3),
        ("performing risk analysis and management", "has", 3),
        ("negotiating", "wants", 2),
    ],
}

# slug, name, kind, visibility, owner, moderators, description, who else is in it
SPACES = [
    (
        "data-guild",
        "Data & Analytics Guild",
        "community",
        "open",
        "priya",
        ["mo", "weiling"],
        "Everyone who works with data: analysts, scientists, engineers and the curious. Monthly show-and-tell, "
        "a reading list for statistics, and help with SQL when you are stuck.",
        {
            "departments": ["Data & Analytics"],
            "sample": 6,
            "also": ["alice", "lee", "sophie", "emily", "tom", "lucas", "kenji"],
        },
    ),
    (
        "python-practice",
        "Python Practice",
        "community",
        "open",
        "mo",
        ["tom"],
        "Katas on Fridays, code review swaps and a place to ask Python questions without feeling silly.",
        {"departments": ["Engineering"], "sample": 5, "also": ["alice", "grace", "weiling", "thiago", "chris", "hana"]},
    ),
    (
        "new-joiners",
        "New Joiners Hub",
        "community",
        "open",
        "lee",
        ["hannah", "larissa"],
        "Start here: onboarding checklists, who is who, and a buddy in every office.",
        {"sample": 24, "also": ["alice", "leticia", "tyler", "jun"]},
    ),
    (
        "leadership-circle",
        "Leadership Circle",
        "community",
        "organisation",
        "lee",
        ["amara"],
        "For people who lead teams or want to: feedback, hiring, difficult conversations. Ask to join.",
        {
            "also": ["priya", "kenji", "jamal", "david", "sarah", "beatriz", "rachel", "emily", "mo"],
            "requests": ["alice", "sophie", "hana"],
        },
    ),
    (
        "platform",
        "Platform Engineering",
        "team",
        "organisation",
        "kenji",
        ["mo", "ada"],
        "The team behind our infrastructure, deploy pipeline and internal tools. Runbooks, incident reviews "
        "and capacity plans live here.",
        {"also": ["arjun", "kevin", "farid", "tom", "lucas", "rhys", "pedro"], "requests": ["jun", "miguel"]},
    ),
    (
        "customer-insights",
        "Customer Insights",
        "team",
        "organisation",
        "beatriz",
        ["marcus"],
        "What our customers tell us, in numbers and in their own words: NPS, interview notes and journey maps.",
        {"departments": ["Customer Success"], "also": ["nia", "sophie", "leticia"], "requests": ["rafael"]},
    ),
    (
        "checkout-redesign",
        "Checkout Redesign",
        "project",
        "invite",
        "mo",
        ["sophie"],
        "Rebuilding checkout for speed and accessibility by the end of the quarter. Members only.",
        {"invited": ["alice", "gus", "oliver", "miguel", "bruno", "camila"], "pending": ["lee", "nia"]},
    ),
    (
        "northwind",
        "Project Northwind",
        "project",
        "invite",
        "olly",
        ["james"],
        "Confidential: evaluation of a possible acquisition. Members only; do not forward documents.",
        {"invited": ["david", "fatima", "ravi"], "pending": ["sarah"]},
    ),
]

# Tags on items that have none of their own, and the vocabulary items draw from.
TAGS = [
    "python",
    "sql",
    "statistics",
    "onboarding",
    "security",
    "leadership",
    "feedback",
    "customer-research",
    "architecture",
    "incident",
    "accessibility",
    "design",
    "finance",
    "podcast",
    "reading-list",
    "how-to",
    "checklist",
    "data-viz",
    "testing",
    "career",
]

# The large organisation's vocabulary (core/seeding/large.py).
# fmt: off
TOPICS = [
    "Python", "SQL", "Statistics", "Machine Learning", "Kubernetes", "Security", "Accessibility",
    "UX Research", "Product Discovery", "Negotiation", "Public Speaking", "Leadership", "Feedback", "Hiring",
    "Onboarding", "Data Visualisation", "Experimentation", "Cloud Costs", "Incident Response", "Observability",
    "Testing", "Mobile", "Design Systems", "Copywriting", "SEO", "Customer Research", "Pricing", "Forecasting",
    "Budgeting", "Compliance", "Privacy", "Contracts", "Sales Enablement", "Account Planning",
    "Support Tooling", "Mentoring", "Coaching", "Agile", "Roadmapping", "Remote Work", "Wellbeing",
    "Sustainability", "Spanish", "Portuguese", "Mandarin", "Japanese", "Excel", "Power BI", "Go", "TypeScript",
    "React", "PostgreSQL", "APIs", "Event Design",
]
TITLE_PATTERNS = [
    "Notes on {t}", "{t} cheat sheet", "Intro to {t}", "{t}: lessons learned", "{t} reading list",
    "How we do {t}", "{t} workshop slides", "{t} retrospective", "Getting started with {t}", "{t} FAQ",
    "{t} checklist", "{t} metrics", "{t} in ten minutes", "Advanced {t}", "{t} office hours recording",
    "{t} playbook", "Our {t} guidelines", "{t} case study", "{t} survey results", "{t} quarterly review",
]
SUMMARY_PATTERNS = [
    "What we learned about {t} this quarter, with examples from real projects.",
    "A short guide to {t} for people new to it.", "Slides and notes from the {t} session; questions welcome.",
    "The numbers behind our {t} work, refreshed monthly.",
    "Everything you need to know about {t}, on one page.", "Links, tips and the mistakes to avoid with {t}.",
]
EXTRA_FIRST = [
    "Oliver", "Amelia", "Noah", "Isla", "Leo", "Ava", "Arthur", "Mia", "Liam", "Emma", "Mateus", "Helena",
    "Gabriel", "Laura", "Yuki", "Sakura", "Min-jun", "Seo-yeon", "Aarav", "Ananya", "Chloe", "Ethan", "Zara",
    "Omar", "Layla", "Kwame", "Ama", "Sven", "Ingrid", "Pierre", "Camille", "Luca", "Giulia", "Mateo", "Sofia",
]
EXTRA_LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Silva", "Santos", "Oliveira", "Souza", "Tan", "Lim", "Ng",
    "Lee", "Wong", "Garcia", "Martinez", "Davis", "Miller", "Sato", "Suzuki", "Kim", "Park", "Singh", "Gupta",
    "Mensah", "Boateng", "Andersson", "Dubois", "Bernard", "Ricci", "Romano", "Fernandez", "Lopez", "Khan",
]
SPACE_PATTERNS = {
    "community": ["{t} Guild", "{t} Community", "{t} Circle", "{t} Club", "{t} Learners"],
    "team": ["{t} Team", "{t} Squad", "{t} Working Group"],
    "project": ["Project {t}", "{t} Launch", "{t} Migration", "{t} Pilot"],
}
SITE_LANGUAGES = {
    "London": ["en", "fr", "de", "pl"],
    "New York": ["en", "es", "zh"],
    "Singapore": ["en", "zh", "ms", "ta"],
    "São Paulo": ["pt", "en", "es"],
}
# fmt: on

# Whoever the script cannot do without, however few people ``seed --people N`` asks for.
REQUIRED_PEOPLE = tuple(dict.fromkeys([*PERSONAS, *(space[4] for space in SPACES)]))
