"""The demo's links and boards: real learning resources, saved by the people who would save them.

About two hundred well-known pages (documentation, articles, books, talks) are each saved by the
people of the departments and spaces they concern, some by one person and a few by twenty, with
their own notes and tags, in their spaces or for themselves (a few privately). The first save of a
page is followed by its preview as the background fetch would store it; its picture and favicon are
cards drawn here with the site's initials, so nothing is fetched. A few saves carry an image saved
from the page (image-linking). Nine boards are built from the saves, files and wiki pages by their
curators, with sections and a note per entry; some are marked official reading lists for a skill or
a role, and people follow them and tick entries off over the following weeks. Everything goes through
``links.services`` (and ``links.discussion`` for comments) on the demo's timeline.

``seed_large_links`` adds 100,000 saves to the large organisation of ``--scale large``, in bulk.
"""

from __future__ import annotations

import hashlib
import io
import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from core.access import can_create_in, can_view, forget_space_roles
from core.models import Activity, Item, Visibility, Watch
from core.seeding import data, media
from links import services
from links.models import Board, BoardEntry, Bookmark, Comment, EntryProgress, Link
from links.normalise import normalise_url

if TYPE_CHECKING:
    from core.seeding.demo import Timeline
    from people.models import User
    from spaces.models import Space


# ------------------------------------------------------------------------------------------ the links


@dataclass(frozen=True)
class LinkSpec:
    url: str
    title: str
    description: str
    topic: str  # who saves it: see AUDIENCES
    tags: tuple[str, ...]
    savers: int = 0  # 0: one to three people; more for the resources everybody passes around
    note: str = ""  # what its first saver wrote about it


def _l(url, title, description, topic, tags, savers=0, note=""):
    return LinkSpec(url, title, description, topic, tuple(tags.split()), savers, note)


# fmt: off
LINKS: list[LinkSpec] = [
    # Python
    _l("https://docs.python.org/3/tutorial/", "The Python Tutorial",
       "The official tour of the language: control flow, data structures, modules, classes and the standard "
       "library, with examples you can type along.", "python", "python tutorial", 14,
       "Do the whole thing once, even if you have written Python before."),
    _l("https://peps.python.org/pep-0008/", "PEP 8 – Style Guide for Python Code",
       "The conventions most Python code follows: layout, naming, comments and when to break the rules.",
       "python", "python style", 9),
    _l("https://realpython.com/python-f-strings/", "Python's f-strings for string interpolation and formatting",
       "Everything f-strings can do, from expressions and format specifiers to debugging with '='.",
       "python", "python"),
    _l("https://docs.pytest.org/en/stable/getting-started.html", "Get started with pytest",
       "Install pytest, write your first test, group tests in classes and use fixtures like tmp_path.",
       "python", "python testing", 5),
    _l("https://docs.python.org/3/library/dataclasses.html", "dataclasses — Data Classes",
       "Reference for the decorator that writes __init__, __repr__ and comparisons for you.", "python", "python"),
    _l("https://docs.python.org/3/howto/logging.html", "Logging HOWTO",
       "When to log, at which level, and how to configure loggers, handlers and formatters.", "python",
       "python observability", 2),
    _l("https://realpython.com/python-type-checking/", "Python Type Checking (Guide)",
       "Type hints, mypy, duck typing and gradual typing explained with a card game example.", "python",
       "python types"),
    _l("https://mypy.readthedocs.io/en/stable/cheat_sheet_py3.html", "Type hints cheat sheet (mypy)",
       "The annotations you reach for every day, one short example each.", "python", "python types", 3),
    _l("https://packaging.python.org/en/latest/tutorials/packaging-projects/", "Packaging Python Projects",
       "From a folder of code to a package on PyPI: pyproject.toml, build and upload.", "python",
       "python packaging"),
    _l("https://docs.astral.sh/ruff/", "Ruff: an extremely fast Python linter and formatter",
       "One tool for linting and formatting, with hundreds of rules from flake8 and its plugins.", "python",
       "python tooling", 2),
    _l("https://www.youtube.com/watch?v=wf-BqAjZb8M", "Beyond PEP 8 — Raymond Hettinger (PyCon 2015)",
       "Why line length is the least of your worries, and how to make code readable for humans.", "python",
       "python talk style", 4, "Watch this before arguing about line lengths in review."),
    _l("https://www.youtube.com/watch?v=OSGv2VnC0go", "Transforming Code into Beautiful, Idiomatic Python",
       "Raymond Hettinger's classic: loops, dictionaries and context managers the Python way.", "python",
       "python talk", 4),
    _l("https://docs.djangoproject.com/en/5.2/intro/tutorial01/", "Writing your first Django app, part 1",
       "The official Django tutorial: a polls application, from project layout to the admin.", "python",
       "python django web", 2),
    _l("https://hypothesis.readthedocs.io/en/latest/quickstart.html", "Hypothesis quick start guide",
       "Property-based testing in Python: describe the inputs, let Hypothesis find the failing case.",
       "python", "python testing", 2),
    _l("https://docs.python.org/3/library/asyncio.html", "asyncio — Asynchronous I/O",
       "The standard library's event loop, tasks and streams for concurrent network code.", "python",
       "python async"),
    _l("https://automatetheboringstuff.com/", "Automate the Boring Stuff with Python",
       "Al Sweigart's free book: practical Python for spreadsheets, PDFs, e-mail and the web.", "python",
       "python beginner book", 5, "The best first book for people who do not want to be programmers."),
    _l("https://fastapi.tiangolo.com/tutorial/", "FastAPI tutorial – user guide",
       "Step by step through path parameters, request bodies, dependencies and security.", "python",
       "python web api"),
    _l("https://pandas.pydata.org/docs/user_guide/10min.html", "10 minutes to pandas",
       "A short introduction to DataFrames: selection, missing data, grouping, merging and plotting.",
       "data", "python pandas data", 8),
    _l("https://numpy.org/doc/stable/user/absolute_beginners.html", "NumPy: the absolute basics for beginners",
       "Arrays, shapes, indexing and broadcasting, with pictures.", "data", "python numpy", 2),
    _l("https://pythontutor.com/", "Python Tutor: visualise code execution",
       "Step through a program and watch variables and objects change; great for teaching.", "python",
       "python teaching", 2),
    _l("https://exercism.org/tracks/python", "Python track on Exercism",
       "Over a hundred exercises with free mentoring from volunteers.", "python", "python practice", 2),
    _l("https://docs.python.org/3/library/itertools.html", "itertools — Functions creating iterators",
       "Combinatorics, grouping and chaining without writing loops, plus the recipes at the end.", "python",
       "python"),
    _l("https://nedbatchelder.com/text/names.html", "Facts and myths about Python names and values",
       "Ned Batchelder explains assignment, mutability and why a = b never copies.", "python", "python", 3,
       "Read this when a mutable default argument bites you."),
    _l("https://www.cosmicpython.com/book/preface.html", "Architecture Patterns with Python",
       "Domain modelling, repositories, unit of work and events in Python (the 'Cosmic Python' book).",
       "python", "python architecture book", 2),
    # Data, SQL and statistics
    _l("https://sqlbolt.com/", "SQLBolt – learn SQL with interactive exercises",
       "Short lessons with an exercise each, from SELECT to joins, aggregates and subqueries.", "data",
       "sql beginner", 8, "Lessons 1–12 in an afternoon; the exercises make it stick."),
    _l("https://mode.com/sql-tutorial/", "SQL tutorial for data analysis (Mode)",
       "SQL taught by analysts for analysts, with a real dataset and window functions.", "data", "sql", 4),
    _l("https://www.postgresql.org/docs/current/tutorial.html", "The PostgreSQL tutorial",
       "The official introduction: creating tables, querying, joins, views, transactions.", "data",
       "sql postgresql", 2),
    _l("https://use-the-index-luke.com/", "Use The Index, Luke: SQL indexing and tuning",
       "Markus Winand's guide to how indexes work and how to write queries that use them.", "data",
       "sql performance", 4),
    _l("https://www.sqlite.org/queryplanner.html", "Query planning (SQLite)",
       "How SQLite finds rows, with diagrams of tables and indexes; applies to every database.", "data",
       "sql performance"),
    _l("https://www.khanacademy.org/math/statistics-probability", "Statistics and probability (Khan Academy)",
       "Free course from describing data to inference and regression, with practice exercises.", "data",
       "statistics beginner", 5),
    _l("https://seeing-theory.brown.edu/", "Seeing Theory: a visual introduction to probability and statistics",
       "Interactive chapters on chance, distributions, inference and regression.", "data",
       "statistics visual", 5, "Start here: interactive, and p-values finally made sense."),
    _l("https://www.openintro.org/book/os/", "OpenIntro Statistics",
       "A free, open textbook for a first course in statistics, with exercises and data.", "data",
       "statistics book", 2),
    _l("https://greenteapress.com/wp/think-stats-2e/", "Think Stats, 2nd edition",
       "Allen Downey's exploratory data analysis in Python, free to read online.", "data",
       "statistics python book", 2),
    _l("https://www.evanmiller.org/how-not-to-run-an-ab-test.html", "How not to run an A/B test",
       "Why peeking at results and stopping early inflates false positives, and what to do instead.",
       "data", "statistics experimentation", 8, "The one mistake everyone makes. Read before your first test."),
    _l("https://experimentguide.com/", "Trustworthy Online Controlled Experiments",
       "The book by Kohavi, Tang and Xu on running A/B tests at scale.", "data",
       "experimentation book", 2),
    _l("https://r4ds.hadley.nz/", "R for Data Science (2e)",
       "Import, tidy, transform, visualise and model data with the tidyverse.", "data", "r data book", 2),
    _l("https://clauswilke.com/dataviz/", "Fundamentals of Data Visualization",
       "Claus Wilke's guide to figures that are accurate, clear and good to look at.", "data",
       "data-viz book", 3),
    _l("https://www.storytellingwithdata.com/blog", "Storytelling with Data blog",
       "Makeovers and advice on choosing, decluttering and explaining charts.", "data", "data-viz", 3),
    _l("https://datavizcatalogue.com/", "The Data Visualisation Catalogue",
       "Sixty chart types, what each is for and the tools that draw them.", "data", "data-viz reference", 4),
    _l("https://www.data-to-viz.com/", "From Data to Viz",
       "A decision tree from the shape of your data to the charts that suit it, with their caveats.",
       "data", "data-viz", 2),
    _l("https://scikit-learn.org/stable/tutorial/basic/tutorial.html",
       "An introduction to machine learning with scikit-learn",
       "Estimators, fitting and predicting, model persistence, on the bundled datasets.", "data",
       "machine-learning python", 2),
    _l("https://developers.google.com/machine-learning/crash-course", "Machine Learning Crash Course (Google)",
       "A fast-paced introduction with videos, visualisations and exercises.", "data",
       "machine-learning course", 5),
    _l("https://course.fast.ai/", "Practical Deep Learning for Coders",
       "fast.ai's free course: train state-of-the-art models first, learn the theory after.", "data",
       "machine-learning course", 2),
    _l("https://jalammar.github.io/illustrated-transformer/", "The Illustrated Transformer",
       "Jay Alammar's visual walk through attention and the transformer architecture.", "data",
       "machine-learning", 4),
    _l("https://karpathy.github.io/2019/04/25/recipe/", "A Recipe for Training Neural Networks",
       "Andrej Karpathy's process for training networks without fooling yourself.", "data",
       "machine-learning", 2),
    _l("https://docs.getdbt.com/docs/introduction", "What is dbt?",
       "Transform data in the warehouse with SQL, tests and documentation as code.", "data", "sql dbt", 2),
    _l("https://docs.getdbt.com/best-practices/how-we-structure/1-guide-overview",
       "How we structure our dbt projects", "Staging, intermediate and mart models, and why.", "data",
       "dbt", 2),
    _l("https://duckdb.org/docs/", "DuckDB documentation",
       "An in-process analytical database: SQL on CSV and Parquet files straight from your laptop.", "data",
       "sql tools", 2),
    _l("https://en.wikipedia.org/wiki/Simpson%27s_paradox", "Simpson's paradox",
       "When a trend in every group reverses once the groups are combined.", "data", "statistics", 2,
       "This bit us in the checkout funnel: segment before you conclude."),
    _l("https://www.tylervigen.com/spurious-correlations", "Spurious correlations",
       "Charts of things that move together for no reason at all.", "data", "statistics fun", 3),
    _l("https://ourworldindata.org/", "Our World in Data",
       "Research and charts on the world's largest problems, with all the data downloadable.", "data",
       "data-viz data", 3),
    _l("https://www.kaggle.com/learn", "Kaggle Learn",
       "Free micro-courses in Python, pandas, SQL, machine learning and visualisation.", "data",
       "course python sql", 4),
    _l("https://jakevdp.github.io/PythonDataScienceHandbook/", "Python Data Science Handbook",
       "Jake VanderPlas on IPython, NumPy, pandas, Matplotlib and scikit-learn.", "data",
       "python data book", 2),
    _l("https://otexts.com/fpp3/", "Forecasting: Principles and Practice (3rd ed)",
       "Hyndman and Athanasopoulos' free textbook on time series forecasting.", "data",
       "forecasting statistics book", 2),
    # Engineering
    _l("https://missing.csail.mit.edu/", "The Missing Semester of Your CS Education",
       "MIT's lectures on the shell, editors, version control, debugging and other tools nobody teaches.",
       "engineering", "tools shell git course", 10),
    _l("https://git-scm.com/book/en/v2", "Pro Git", "The whole Git book, free: basics, branching, internals.",
       "engineering", "git book", 8),
    _l("https://learngitbranching.js.org/", "Learn Git Branching",
       "An interactive visual game for branching, merging and rebasing.", "engineering", "git", 5,
       "Do the 'Moving work around' levels before your first rebase."),
    _l("https://ohshitgit.com/", "Oh Shit, Git!?!", "How to get out of the messes everyone gets into with git.",
       "engineering", "git fun", 4),
    _l("https://martinfowler.com/articles/practical-test-pyramid.html", "The Practical Test Pyramid",
       "Ham Vocke on unit, integration, contract and UI tests and how many of each to write.", "engineering",
       "testing architecture", 5),
    _l("https://martinfowler.com/bliki/TechnicalDebtQuadrant.html", "Technical Debt Quadrant",
       "Reckless or prudent, deliberate or inadvertent: a vocabulary for technical debt.", "engineering",
       "architecture", 2),
    _l("https://martinfowler.com/articles/microservices.html", "Microservices",
       "Lewis and Fowler's definition of the architectural style and its trade-offs.", "engineering",
       "architecture", 2),
    _l("https://refactoring.guru/refactoring", "Refactoring (Refactoring.Guru)",
       "Code smells and the refactorings that remove them, illustrated.", "engineering", "refactoring", 2),
    _l("https://refactoring.guru/design-patterns", "Design patterns (Refactoring.Guru)",
       "The classic patterns explained with diagrams and examples in several languages.", "engineering",
       "architecture patterns", 3),
    _l("https://12factor.net/", "The Twelve-Factor App",
       "A methodology for building software-as-a-service apps that deploy and scale cleanly.", "engineering",
       "architecture devops", 8),
    _l("https://google.github.io/eng-practices/review/", "Google's code review guidelines",
       "How to do a code review, and how to get your change through one.", "engineering",
       "code-review", 8, "Our review guide is based on this; start with 'The Standard of Code Review'."),
    _l("https://www.conventionalcommits.org/en/v1.0.0/", "Conventional Commits",
       "A lightweight convention for commit messages that tools can read.", "engineering", "git", 2),
    _l("https://semver.org/", "Semantic Versioning 2.0.0",
       "MAJOR.MINOR.PATCH, and what each number promises.", "engineering", "releases", 2),
    _l("https://cbea.ms/git-commit/", "How to write a git commit message",
       "Seven rules for messages your colleagues will thank you for.", "engineering", "git", 5),
    _l("https://www.joelonsoftware.com/2000/08/09/the-joel-test-12-steps-to-better-code/",
       "The Joel Test: 12 steps to better code", "Twelve yes/no questions about a software team, from 2000.",
       "engineering", "teams", 2),
    _l("https://github.com/donnemartin/system-design-primer", "The System Design Primer",
       "How to design large-scale systems, with exercises and interview questions.", "engineering",
       "architecture", 5),
    _l("https://dataintensive.net/", "Designing Data-Intensive Applications",
       "Martin Kleppmann's book on storage, replication, partitioning and stream processing.", "engineering",
       "architecture databases book", 5),
    _l("https://www.infoq.com/presentations/Simple-Made-Easy/", "Simple Made Easy — Rich Hickey",
       "The talk that separates 'simple' from 'easy' and argues for the first.", "engineering",
       "talk architecture", 4),
    _l("https://developer.mozilla.org/en-US/docs/Learn", "Learn web development (MDN)",
       "MDN's structured path through HTML, CSS, JavaScript and accessibility.", "engineering",
       "web html css", 5),
    _l("https://developer.mozilla.org/en-US/docs/Web/HTTP/Overview", "An overview of HTTP",
       "Requests, responses, headers and connections, explained from the ground up.", "engineering",
       "web http", 2),
    _l("https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide", "JavaScript Guide (MDN)",
       "The language from grammar to promises and modules.", "engineering", "javascript", 2),
    _l("https://javascript.info/", "The Modern JavaScript Tutorial",
       "From the basics to advanced topics, with tasks after each chapter.", "engineering", "javascript", 2),
    _l("https://www.typescriptlang.org/docs/handbook/intro.html", "The TypeScript Handbook",
       "Everyday types, narrowing, generics and modules.", "engineering", "typescript", 2),
    _l("https://react.dev/learn", "Quick start – React", "Components, JSX, state and effects in the new docs.",
       "engineering", "react javascript", 2),
    _l("https://web.dev/learn/css", "Learn CSS (web.dev)", "A course on modern CSS, from the box model to grid.",
       "engineering", "css", 2),
    _l("https://css-tricks.com/snippets/css/a-guide-to-flexbox/", "A complete guide to Flexbox",
       "Every flexbox property with a picture; the page everyone keeps open.", "engineering", "css", 4),
    _l("https://css-tricks.com/snippets/css/complete-guide-grid/", "A complete guide to CSS Grid",
       "Grid containers, tracks, areas and alignment, illustrated.", "engineering", "css", 2),
    _l("https://htmx.org/essays/hypermedia-driven-applications/", "Hypermedia-Driven Applications",
       "An architecture for web apps that send HTML, not JSON.", "engineering", "web htmx", 2),
    _l("https://go.dev/tour/", "A Tour of Go", "The interactive introduction to the Go language.",
       "engineering", "go", 2),
    _l("https://doc.rust-lang.org/book/", "The Rust Programming Language",
       "'The book': ownership, borrowing, traits and fearless concurrency.", "engineering", "rust book", 2),
    _l("https://regexone.com/", "RegexOne: learn regular expressions",
       "Interactive lessons from literal characters to capture groups.", "engineering", "regex", 2),
    _l("https://wizardzines.com/", "Wizard Zines by Julia Evans",
       "Comics that explain DNS, HTTP, git, the shell and Linux internals.", "engineering", "fun networking", 3),
    _l("https://explainshell.com/", "explainshell", "Paste a shell command and see what every part does.",
       "engineering", "shell tools", 2),
    _l("https://blog.pragmaticengineer.com/", "The Pragmatic Engineer",
       "Gergely Orosz on engineering careers, teams and the industry.", "engineering", "career", 2),
    _l("https://staffeng.com/guides/staff-archetypes/", "Staff engineer archetypes",
       "Tech lead, architect, solver and right hand: the four shapes of staff-plus roles.", "leadership",
       "career engineering", 2),
    _l("https://swagger.io/specification/", "OpenAPI Specification",
       "The standard description of HTTP APIs that our API documentation is generated from.", "engineering",
       "api", 2),
    _l("https://learn.microsoft.com/en-us/azure/architecture/best-practices/api-design",
       "RESTful web API design", "Resources, methods, status codes, paging and versioning.", "engineering",
       "api architecture", 2),
    # Platform and reliability
    _l("https://sre.google/sre-book/table-of-contents/", "Site Reliability Engineering (the SRE book)",
       "How Google runs production systems: SLOs, toil, monitoring, on-call and postmortems.", "platform",
       "sre book", 9),
    _l("https://sre.google/workbook/table-of-contents/", "The Site Reliability Workbook",
       "The practical companion to the SRE book, with worked examples.", "platform", "sre book", 2),
    _l("https://sre.google/sre-book/postmortem-culture/", "Postmortem culture: learning from failure",
       "Blameless postmortems, what to write and how to share them.", "platform", "sre incident", 5),
    _l("https://kubernetes.io/docs/tutorials/kubernetes-basics/", "Learn Kubernetes basics",
       "Deploy, expose, scale and update an app on a cluster, step by step.", "platform", "kubernetes", 5),
    _l("https://kubernetes.io/docs/concepts/overview/", "Kubernetes overview",
       "What Kubernetes is, what it is not, and its components.", "platform", "kubernetes", 2),
    _l("https://docs.docker.com/get-started/", "Get started with Docker",
       "Containers and images, building, running and sharing an application.", "platform", "docker", 5),
    _l("https://developer.hashicorp.com/terraform/tutorials", "Terraform tutorials",
       "Infrastructure as code on the major clouds, from first apply to modules.", "platform",
       "terraform cloud", 2),
    _l("https://prometheus.io/docs/introduction/overview/", "Prometheus overview",
       "The monitoring system and time series database behind our dashboards.", "platform",
       "observability", 2),
    _l("https://opentelemetry.io/docs/concepts/", "OpenTelemetry concepts",
       "Traces, metrics, logs and context propagation, vendor-neutral.", "platform", "observability", 2),
    _l("https://www.brendangregg.com/usemethod.html", "The USE method",
       "Utilisation, saturation and errors: a checklist for any performance investigation.", "platform",
       "performance sre", 3),
    _l("https://github.com/danluu/post-mortems", "A collection of postmortems",
       "Dan Luu's list of public incident reports, grouped by cause.", "platform", "incident", 4,
       "Read two a week; you start recognising the patterns."),
    _l("https://www.atlassian.com/incident-management/handbook", "Incident management handbook (Atlassian)",
       "Roles, severity levels, communication and postmortems.", "platform", "incident", 2),
    _l("https://response.pagerduty.com/", "PagerDuty incident response documentation",
       "An open guide to running incidents: roles, calls, and what to do before, during and after.",
       "platform", "incident on-call", 4),
    _l("https://aws.amazon.com/builders-library/", "The Amazon Builders' Library",
       "Articles by Amazon engineers on timeouts, retries, caching and deployments.", "platform",
       "architecture sre", 3),
    _l("https://aws.amazon.com/architecture/well-architected/", "AWS Well-Architected",
       "Six pillars for reviewing cloud architectures, with a free review tool.", "platform", "cloud", 2),
    _l("https://www.gnu.org/software/bash/manual/bash.html", "Bash reference manual",
       "Everything the shell does, for the day you need to know exactly.", "platform", "shell", 2),
    _l("https://roadmap.sh/devops", "DevOps roadmap", "A map of what to learn to work in DevOps, in order.",
       "platform", "devops career", 2),
    _l("https://dora.dev/", "DORA: DevOps Research and Assessment",
       "The research behind the four key metrics of software delivery performance.", "platform",
       "devops metrics", 3),
    # Security
    _l("https://owasp.org/www-project-top-ten/", "OWASP Top Ten",
       "The ten most critical security risks to web applications.", "security", "security web", 8),
    _l("https://cheatsheetseries.owasp.org/", "OWASP Cheat Sheet Series",
       "Concise guidance on authentication, session management, injection and more.", "security",
       "security reference", 4),
    _l("https://www.ncsc.gov.uk/collection/top-tips-for-staying-secure-online",
       "Top tips for staying secure online (NCSC)",
       "Passwords, two-step verification, updates and backups, for work and home.", "security",
       "security basics", 5),
    _l("https://www.ncsc.gov.uk/guidance/phishing", "Phishing attacks: defending your organisation",
       "The NCSC's layered defence against phishing.", "security", "security phishing", 2),
    _l("https://haveibeenpwned.com/", "Have I Been Pwned", "Check whether your e-mail address was in a breach.",
       "security", "security tools", 3),
    _l("https://pages.nist.gov/800-63-3/sp800-63b.html", "NIST SP 800-63B: Digital Identity Guidelines",
       "The guidance behind modern password rules: length over complexity, no forced rotation.", "security",
       "security standards", 2),
    _l("https://portswigger.net/web-security", "Web Security Academy",
       "Free labs on SQL injection, XSS, CSRF, SSRF and more.", "security", "security web course", 2),
    _l("https://letsencrypt.org/how-it-works/", "How it works – Let's Encrypt",
       "How the ACME protocol proves you control a domain and issues certificates.", "security",
       "security tls", 2),
    # Design, UX and accessibility
    _l("https://www.nngroup.com/articles/ten-usability-heuristics/",
       "10 usability heuristics for user interface design", "Jakob Nielsen's ten principles, each with examples.",
       "design", "ux design", 10),
    _l("https://lawsofux.com/", "Laws of UX", "Psychology principles designers can use, one card each.",
       "design", "ux design", 5),
    _l("https://www.w3.org/WAI/standards-guidelines/wcag/", "WCAG overview",
       "What the Web Content Accessibility Guidelines are and how they are organised.", "accessibility",
       "accessibility standards", 3),
    _l("https://www.w3.org/WAI/WCAG22/quickref/", "How to meet WCAG (quick reference)",
       "Every success criterion with techniques and failures, filterable.", "accessibility",
       "accessibility reference", 5),
    _l("https://www.a11yproject.com/checklist/", "The A11Y Project checklist",
       "A practical checklist based on WCAG, for designers and developers.", "accessibility",
       "accessibility checklist", 5, "Run through this before every design review."),
    _l("https://webaim.org/resources/contrastchecker/", "WebAIM contrast checker",
       "Check a foreground and background colour against WCAG contrast ratios.", "accessibility",
       "accessibility tools", 4),
    _l("https://design-system.service.gov.uk/", "GOV.UK Design System",
       "Styles, components and patterns tested with real users, with the research behind them.", "design",
       "design-system accessibility", 5),
    _l("https://www.gov.uk/service-manual", "Service Manual – GOV.UK",
       "How the UK government designs and runs digital services.", "design", "design service-design", 2),
    _l("https://m3.material.io/", "Material Design 3", "Google's design system: foundations, styles, components.",
       "design", "design-system", 2),
    _l("https://developer.apple.com/design/human-interface-guidelines/", "Human Interface Guidelines",
       "Apple's guidance for designing on its platforms.", "design", "design mobile", 2),
    _l("https://www.refactoringui.com/", "Refactoring UI",
       "Design tips for developers: hierarchy, spacing, colour and depth.", "design", "design", 4),
    _l("https://baymard.com/lists/cart-abandonment-rate", "Cart abandonment rate statistics (Baymard)",
       "Why shoppers leave at checkout, from a survey of thousands of them.", "checkout",
       "checkout ux research", 4),
    _l("https://baymard.com/blog", "Baymard Institute articles",
       "Large-scale e-commerce usability research, published weekly.", "checkout", "checkout ux", 2),
    _l("https://www.nngroup.com/articles/why-you-only-need-to-test-with-5-users/",
       "Why you only need to test with 5 users", "Small tests, many iterations: the maths behind it.",
       "design", "ux research", 5),
    _l("https://www.nngroup.com/articles/journey-mapping-101/", "Journey mapping 101",
       "What a customer journey map is, its parts and how to make one.", "customer", "ux customer-research", 3),
    _l("https://inclusive-components.design/", "Inclusive Components",
       "Heydon Pickering builds common components accessibly, one article each.", "accessibility",
       "accessibility components", 2),
    _l("https://help.figma.com/hc/en-us", "Figma Learn – help centre",
       "Tutorials and references for Figma, from frames to variables.", "design", "design tools", 2),
    _l("https://www.gov.uk/guidance/content-design/writing-for-gov-uk", "Writing for GOV.UK",
       "Plain English, short sentences and front-loaded headings, with the evidence.", "writing",
       "writing content-design", 3),
    _l("https://www.interaction-design.org/literature/topics/design-thinking", "What is design thinking?",
       "The five stages and how teams use them.", "design", "design-thinking", 2),
    _l("https://alistapart.com/article/dao/", "A Dao of Web Design",
       "John Allsopp's essay on embracing the web's flexibility, from 2000.", "design", "web design", 2),
    # Product
    _l("https://www.svpg.com/articles/", "SVPG articles", "Marty Cagan and partners on product teams and discovery.",
       "product", "product", 2),
    _l("https://www.producttalk.org/opportunity-solution-tree/", "Opportunity solution trees",
       "Teresa Torres' visual for connecting outcomes, opportunities and experiments.", "product",
       "product discovery", 4),
    _l("https://basecamp.com/shapeup", "Shape Up",
       "Basecamp's book on shaping, betting and building in six-week cycles.", "product", "product process book", 5),
    _l("https://www.mountaingoatsoftware.com/agile/user-stories", "User stories",
       "Mike Cohn on writing stories, the template and its alternatives.", "product", "agile", 2),
    _l("https://www.atlassian.com/agile", "The Agile coach (Atlassian)",
       "Scrum, kanban, estimation and retrospectives explained.", "product", "agile", 2),
    _l("https://agilemanifesto.org/", "Manifesto for Agile Software Development",
       "Four values and twelve principles, from 2001.", "product", "agile", 3),
    _l("https://www.lennysnewsletter.com/", "Lenny's Newsletter",
       "Advice on product, growth and careers, from interviews with practitioners.", "product",
       "product career", 2),
    _l("https://www.momtestbook.com/", "The Mom Test",
       "How to talk to customers and learn whether your idea is good when everyone lies to you.", "customer",
       "customer-research book", 4),
    _l("https://hbr.org/2016/09/know-your-customers-jobs-to-be-done", "Know your customers' 'jobs to be done'",
       "Christensen and colleagues on why customers 'hire' products.", "customer", "product jtbd", 3),
    # Leadership and management
    _l("https://www.manager-tools.com/2005/07/the-single-most-effective-management-tool-part-1",
       "The single most effective management tool", "Manager Tools on weekly one-on-ones: why and how.",
       "leadership", "management one-on-ones", 4),
    _l("https://rework.withgoogle.com/guides/understanding-team-effectiveness/",
       "Understand team effectiveness (Project Aristotle)",
       "Google's research on what makes teams work: psychological safety first.", "leadership",
       "teams research", 5),
    _l("https://hbr.org/2019/03/the-feedback-fallacy", "The feedback fallacy",
       "Buckingham and Goodall on why telling people what they do wrong rarely helps.", "leadership",
       "feedback", 4),
    _l("https://www.radicalcandor.com/our-approach/", "Radical Candor: our approach",
       "Care personally and challenge directly.", "leadership", "feedback", 4),
    _l("https://lethain.com/elegant-puzzle/", "An Elegant Puzzle: systems of engineering management",
       "Will Larson on team sizing, planning, migrations and careers.", "leadership", "management book", 2),
    _l("https://larahogan.me/resources/", "Resources for managers (Lara Hogan)",
       "Templates and articles on one-on-ones, feedback and sponsorship.", "leadership", "management", 2),
    _l("https://www.ted.com/talks/simon_sinek_how_great_leaders_inspire_action",
       "How great leaders inspire action (Simon Sinek)", "Start with why: the golden circle.", "leadership",
       "talk leadership", 5),
    _l("https://www.ted.com/talks/amy_edmondson_how_to_turn_a_group_of_strangers_into_a_team",
       "How to turn a group of strangers into a team (Amy Edmondson)",
       "Teaming, and why it needs psychological safety.", "leadership", "talk teams", 3),
    _l("https://hbr.org/2004/01/what-makes-a-leader", "What makes a leader?",
       "Daniel Goleman on emotional intelligence.", "leadership", "leadership", 2),
    _l("https://www.paulgraham.com/makersschedule.html", "Maker's schedule, manager's schedule",
       "Why one meeting can ruin a maker's afternoon.", "learning", "productivity", 8),
    _l("https://www.kitchensoap.com/2012/10/25/on-being-a-senior-engineer/", "On being a senior engineer",
       "John Allspaw's list of what mature engineers do.", "leadership", "career engineering", 3),
    _l("https://charity.wtf/2017/05/11/the-engineer-manager-pendulum/", "The engineer/manager pendulum",
       "Charity Majors on swinging between management and engineering.", "leadership", "career management", 3),
    _l("https://www.atlassian.com/team-playbook", "Atlassian Team Playbook",
       "Workshops for common team problems: roles, health monitors, retrospectives.", "leadership",
       "teams workshops", 2),
    # Learning, writing and working together
    _l("https://www.coursera.org/learn/learning-how-to-learn", "Learning How to Learn",
       "Barbara Oakley and Terrence Sejnowski on focus, chunking and procrastination.", "learning",
       "learning course", 8),
    _l("https://ncase.me/remember/", "How to remember anything forever-ish",
       "Nicky Case's interactive comic on spaced repetition.", "learning", "learning", 4),
    _l("https://fs.blog/feynman-technique/", "The Feynman technique",
       "Learn anything by explaining it simply.", "learning", "learning", 3),
    _l("https://jvns.ca/blog/good-questions/", "How to ask good questions",
       "Julia Evans on questions that get useful answers quickly.", "learning", "communication", 5),
    _l("https://handbook.gitlab.com/", "The GitLab Handbook",
       "How an all-remote company documents everything it does, in public.", "learning",
       "remote handbook", 3),
    _l("https://nohello.net/", "no hello", "Please don't just say hello in chat: ask your question.",
       "learning", "communication remote", 4),
    _l("https://developers.google.com/tech-writing", "Technical writing courses (Google)",
       "Two short courses on writing clear technical documents.", "writing", "writing course", 5),
    _l("https://www.plainlanguage.gov/guidelines/", "Federal plain language guidelines",
       "Write for your audience: organisation, words, sentences.", "writing", "writing", 2),
    _l("https://diataxis.fr/", "Diátaxis",
       "Tutorials, how-to guides, reference and explanation: four kinds of documentation.", "writing",
       "writing documentation", 4),
    _l("https://www.writethedocs.org/guide/", "Write the Docs guide",
       "A community guide to writing and maintaining documentation.", "writing", "documentation", 2),
    _l("https://www.ted.com/talks/carol_dweck_the_power_of_believing_that_you_can_improve",
       "The power of believing that you can improve (Carol Dweck)", "Growth mindset in ten minutes.",
       "learning", "talk learning", 3),
    _l("https://www.ted.com/talks/julian_treasure_how_to_speak_so_that_people_want_to_listen",
       "How to speak so that people want to listen (Julian Treasure)",
       "Seven sins of speaking and the tools to fix them.", "learning", "talk public-speaking", 5),
    _l("https://www.toastmasters.org/", "Toastmasters International", "Clubs for practising public speaking.",
       "learning", "public-speaking", 2),
    _l("https://basecamp.com/guides/how-we-communicate", "How we communicate (Basecamp)",
       "Guidelines on writing, real-time chat and meetings at a calm company.", "learning",
       "communication remote", 5),
    _l("https://hbr.org/2016/01/collaborative-overload", "Collaborative overload",
       "Why the most helpful people burn out, and what organisations can do.", "leadership", "wellbeing", 2),
    _l("https://www.mind.org.uk/workplace/", "Mental health at work (Mind)",
       "Resources for staff and managers on wellbeing at work.", "learning", "wellbeing", 2),
    _l("https://www.duolingo.com/", "Duolingo", "Five minutes of a language a day.", "learning", "languages", 3),
    # Customer success, sales, marketing
    _l("https://www.helpscout.com/helpu/", "HelpU: customer service guides (Help Scout)",
       "Guides on support metrics, tone, knowledge bases and hiring.", "customer", "customer-service", 3),
    _l("https://www.intercom.com/blog/", "Intercom blog", "Product, support and marketing essays.",
       "customer", "customer-service product", 2),
    _l("https://en.wikipedia.org/wiki/Net_promoter_score", "Net promoter score",
       "How NPS is calculated, used and criticised.", "customer", "nps metrics", 3),
    _l("https://www.nngroup.com/articles/user-interviews/", "User interviews 101",
       "Plan, run and analyse one-to-one interviews with users.", "customer", "customer-research ux", 4),
    _l("https://blog.hubspot.com/sales", "HubSpot sales blog", "Prospecting, discovery calls and pipelines.",
       "sales", "sales", 2),
    _l("https://www.gong.io/blog/", "Gong Labs", "What the data from recorded sales calls says about winning.",
       "sales", "sales research", 2),
    _l("https://www.pon.harvard.edu/", "Program on Negotiation (Harvard Law School)",
       "Articles and research on negotiation and dispute resolution.", "sales", "negotiation", 2),
    _l("https://moz.com/beginners-guide-to-seo", "The beginner's guide to SEO (Moz)",
       "How search engines work and how to be found.", "marketing", "seo", 4),
    _l("https://developers.google.com/search/docs/fundamentals/seo-starter-guide", "SEO starter guide (Google)",
       "Google's own advice on helping it understand your site.", "marketing", "seo", 2),
    _l("https://mailchimp.com/resources/", "Mailchimp resources",
       "Guides on e-mail marketing and small-business growth.", "marketing", "email-marketing", 2),
    _l("https://www.thinkwithgoogle.com/", "Think with Google", "Consumer research and marketing trends.",
       "marketing", "marketing research", 2),
    # Finance and legal
    _l("https://www.investopedia.com/terms/e/ebitda.asp", "EBITDA: meaning, formula and history",
       "What EBITDA measures and why investors argue about it.", "finance", "finance", 2),
    _l("https://www.investopedia.com/terms/n/npv.asp", "Net present value (NPV)",
       "Discounting future cash flows, with worked examples.", "finance", "finance valuation", 2),
    _l("https://corporatefinanceinstitute.com/resources/", "CFI resources",
       "Free guides on financial modelling, valuation and accounting.", "finance", "finance modelling", 2),
    _l("https://www.ifrs.org/issued-standards/list-of-standards/", "IFRS standards",
       "The list of International Financial Reporting Standards.", "finance", "accounting standards", 2),
    _l("https://exceljet.net/", "Exceljet", "Short, clear examples of Excel formulas and functions.",
       "finance", "excel", 4),
    _l("https://support.microsoft.com/en-us/excel", "Excel help and learning",
       "Microsoft's training for Excel, from basics to PivotTables.", "finance", "excel", 2),
    _l("https://learn.microsoft.com/en-us/power-bi/", "Power BI documentation",
       "Get started with reports, dashboards and DAX.", "data", "power-bi data-viz", 2),
    _l("https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/", "UK GDPR guidance and resources (ICO)",
       "The regulator's guidance on data protection principles, rights and breaches.", "legal",
       "privacy gdpr", 4),
    _l("https://gdpr.eu/what-is-gdpr/", "What is GDPR, the EU's new data protection law?",
       "A plain-English summary of the regulation.", "legal", "privacy gdpr", 3),
    _l("https://www.law.cornell.edu/wex", "Wex legal dictionary and encyclopedia",
       "Free definitions of legal terms from Cornell's Legal Information Institute.", "legal",
       "law reference", 2),
]
# fmt: on

# Who saves a link about a topic: (departments, the space it goes to when the saver is a member).
AUDIENCES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "python": (("Engineering", "Data & Analytics"), "python-practice"),
    "data": (("Data & Analytics",), "data-guild"),
    "engineering": (("Engineering",), None),
    "platform": (("Engineering", "Operations"), "platform"),
    "security": (("Engineering", "Operations", "Legal"), "platform"),
    "design": (("Design", "Product"), None),
    "accessibility": (("Design", "Engineering", "Product"), None),
    "checkout": (("Design", "Product", "Engineering"), "checkout-redesign"),
    "product": (("Product", "Design"), None),
    "customer": (("Customer Success", "Product", "Design"), "customer-insights"),
    "leadership": ((), "leadership-circle"),  # managers and leads of every department
    "learning": ((), "new-joiners"),  # everyone
    "writing": ((), None),
    "sales": (("Sales",), None),
    "marketing": (("Marketing",), None),
    "finance": (("Finance",), "northwind"),
    "legal": (("Legal",), None),
}
SENIOR_WORDS = ("Head", "Lead", "Manager", "Director", "Chief", "Staff", "Counsel", "Senior")

NOTES = [
    "Read this before the next planning session.",
    "Chapter 3 is the useful part; skim the rest.",
    "Good to send to new joiners.",
    "The examples are better than the official docs.",
    "Bookmarking for the next time I forget this.",
    "Clear, short and no fluff.",
    "We should adopt the checklist at the end.",
    "Long, but the summary at the top covers most of it.",
    "Used this to prepare for the guild show-and-tell.",
    "Came up in the incident review this week.",
    "Great for explaining the idea to people outside the team.",
    "Slightly dated, but the principles hold.",
    "Do the exercises, not just the reading.",
    "Printed the one-page version and keep it by my desk.",
    "The diagrams alone are worth it.",
    "Compare with how our handbook does it.",
    "Recommended by my mentor.",
    "Reference I keep coming back to.",
    "Want to discuss this at the next guild meeting.",
    "Finally understood this after reading it twice.",
    "Half an hour well spent.",
    "Shared with my team in our weekly sync.",
]
TALK_NOTES = [
    "Watch at 1.5× speed; the questions at the end are the best part.",
    "Watched this over lunch, worth it.",
    "The first fifteen minutes are the core of it.",
]
PERSONAL_TAGS = ["to-read", "favourite", "later", "reference"]


# Images saved from a page (image-linking): (url, who saved it, file name, how it is drawn, note).
def _image_saves() -> list[tuple[str, str, str, Callable[[], bytes], str]]:
    return [
        (
            "https://ourworldindata.org/",
            "priya",
            "literacy.png",
            lambda: media.line_chart(
                "Literate adults, share of population (%)",
                {
                    "World": [12, 21, 36, 56, 70, 80, 87],
                    "Europe": [32, 55, 78, 92, 97, 99, 99],
                },
            ),
            "The long-run chart I use to open every data-literacy talk.",
        ),
        (
            "https://datavizcatalogue.com/",
            "hana",
            "chart-types.png",
            lambda: media.bar_chart(
                "Charts we used in Q3 reports",
                ["Bar", "Line", "Table", "Scatter", "Pie"],
                [42, 31, 18, 9, 3],
                palette=3,
            ),
            "Our own count, after the catalogue made us rethink pies.",
        ),
        (
            "https://martinfowler.com/articles/practical-test-pyramid.html",
            "tom",
            "test-pyramid.png",
            lambda: media.diagram("The test pyramid", ["UI tests", "Service tests", "Unit tests"], [(0, 1), (1, 2)]),
            "Redrew the pyramid for the Friday kata.",
        ),
        (
            "https://12factor.net/",
            "arjun",
            "twelve-factor.png",
            lambda: media.diagram(
                "Config, backing services, processes",
                ["Code", "Config", "Build", "Release", "Run"],
                [(0, 2), (2, 3), (1, 3), (3, 4)],
            ),
            "The build, release, run stages as we do them.",
        ),
        (
            "https://lawsofux.com/",
            "oliver",
            "hicks-law.png",
            lambda: media.line_chart(
                "Hick's law: decision time vs choices", {"Time (s)": [0.2, 0.5, 0.8, 1.0, 1.2, 1.3]}
            ),
            "Hick's law, the card I pin to every menu critique.",
        ),
        (
            "https://design-system.service.gov.uk/",
            "camila",
            "form-pattern.jpg",
            lambda: _card("design-system.service.gov.uk", "Question pages: one thing per page", 5),
            "One question per page, the pattern behind our new checkout.",
        ),
        (
            "https://www.nngroup.com/articles/ten-usability-heuristics/",
            "anh",
            "heuristics.png",
            lambda: media.bar_chart(
                "Issues found per heuristic, checkout audit", ["H1", "H3", "H5", "H8", "H9"], [6, 4, 9, 3, 5], palette=4
            ),
            "Our audit of the old checkout, counted by heuristic.",
        ),
        (
            "https://kubernetes.io/docs/concepts/overview/",
            "kenji",
            "cluster.png",
            lambda: media.diagram(
                "A cluster", ["Control plane", "Node A", "Node B", "Node C"], [(0, 1), (0, 2), (0, 3)]
            ),
            "The picture I draw for every new joiner to the platform team.",
        ),
        (
            "https://seeing-theory.brown.edu/",
            "weiling",
            "central-limit.png",
            lambda: media.bar_chart(
                "Means of 1,000 samples", ["-2σ", "-1σ", "0", "+1σ", "+2σ"], [5, 24, 40, 25, 6], palette=1
            ),
            "The central limit theorem, from the interactive chapter.",
        ),
        (
            "https://www.w3.org/WAI/WCAG22/quickref/",
            "miguel",
            "contrast.jpg",
            lambda: _card("w3.org", "Contrast: 4.5:1 for text, 3:1 for large text", 2),
            "The two numbers to remember.",
        ),
    ]


# Short discussions on the most saved links: (url, [(author, comment), ...]).
COMMENTS = [
    (
        "https://docs.python.org/3/tutorial/",
        [
            ("alice", "Is the whole tutorial worth it if I already did a bootcamp?"),
            ("mo", "Yes: sections 4.8 (defining functions) and 9 (classes) fill the gaps bootcamps skip."),
            ("grace", "Chapter 5 on data structures is the one I still reread."),
        ],
    ),
    (
        "https://www.evanmiller.org/how-not-to-run-an-ab-test.html",
        [
            ("weiling", "This is why the experiment dashboard now hides results until the sample size is reached."),
            ("priya", "Let's link it from the experiment request form."),
        ],
    ),
    (
        "https://sre.google/sre-book/postmortem-culture/",
        [
            ("kevin", "We used the template in the appendix for the sign-in outage review."),
            ("kenji", "Making it our default template; thanks Kevin."),
        ],
    ),
    (
        "https://www.nngroup.com/articles/ten-usability-heuristics/",
        [
            ("oliver", "Heuristic 5, error prevention, is what the checkout redesign is all about."),
            ("sophie", "Agreed. Adding the list to the design review checklist."),
            ("camila", "Number 8 (aesthetic and minimalist design) is the one we argue about most."),
        ],
    ),
    (
        "https://12factor.net/",
        [
            ("arjun", "Factor III (config) is why we moved secrets out of the repositories last year."),
            ("tom", "And factor XI is why we stopped writing log files."),
        ],
    ),
    (
        "https://missing.csail.mit.edu/",
        [
            ("jun", "The shell and git lectures alone saved me hours."),
            ("rhys", "Recommended it to the IT support team too."),
        ],
    ),
    (
        "https://www.coursera.org/learn/learning-how-to-learn",
        [
            ("larissa", "We use its ideas on chunking when we design courses."),
            ("alice", "Took it in my first month here; the pomodoro tip stuck."),
        ],
    ),
    (
        "https://google.github.io/eng-practices/review/",
        [
            ("mo", "Read 'The Standard of Code Review' first, then 'How to write code review comments' for tone."),
            ("lucas", "The part about small changes changed how I split my pull requests."),
        ],
    ),
]


# ----------------------------------------------------------------------------------------------- boards


@dataclass(frozen=True)
class Entry:
    ref: str  # a URL (the curator's own save of it), "file:<title>", "page:<title>" or "save:<username> <url>"
    note: str = ""


@dataclass(frozen=True)
class BoardSpec:
    title: str
    owner: str
    description: str
    days_ago: float
    sections: tuple[tuple[str, tuple[Entry, ...]], ...]
    space: str | None = None
    shared_with: tuple[str, ...] = ()  # a personal board shown to these people only
    layout: str = Board.Layout.LIST
    tags: tuple[str, ...] = ()
    collaborators: tuple[str, ...] = ()
    official: tuple[str, str, str] | None = None  # (skill name, role, topic), marked by the curator
    followers: int = 6


E = Entry

BOARDS: list[BoardSpec] = [
    BoardSpec(
        "Statistics for analysts",
        "lee",
        "From intuition to experiments: the reading list the Data Guild recommends to every new analyst. "
        "Work through it in order and tick off what you have done.",
        38,
        (
            (
                "Start with intuition",
                (
                    E(
                        "https://seeing-theory.brown.edu/",
                        "Start here: interactive, and you will get p-values by the end.",
                    ),
                    E(
                        "https://www.khanacademy.org/math/statistics-probability",
                        "Units 1–4 cover what we use day to day.",
                    ),
                    E("file:Reading list: statistics for analysts", "Lee's five books, if you prefer paper."),
                ),
            ),
            (
                "Experiments and A/B tests",
                (
                    E(
                        "https://www.evanmiller.org/how-not-to-run-an-ab-test.html",
                        "The one mistake everyone makes: peeking. Read it before your first test.",
                    ),
                    E("https://experimentguide.com/", "The reference book; chapters 1–3 and 17 are enough to start."),
                    E("file:A/B testing cheat sheet", "Wei Ling's summary from the show-and-tell."),
                    E(
                        "https://en.wikipedia.org/wiki/Simpson%27s_paradox",
                        "Why segment results can flip when combined: it happened to us in the checkout funnel.",
                    ),
                ),
            ),
            (
                "Going deeper",
                (
                    E("https://www.openintro.org/book/os/", "Free textbook; do the problems in chapters 5 and 6."),
                    E("https://greenteapress.com/wp/think-stats-2e/", "For people who would rather learn with Python."),
                    E("https://otexts.com/fpp3/", "For when someone asks you for a forecast."),
                ),
            ),
        ),
        space="data-guild",
        tags=("statistics", "reading-list"),
        collaborators=("priya", "weiling"),
        official=("statistics", "Junior Data Analyst", "Statistics"),
        followers=12,
    ),
    BoardSpec(
        "Python: from first script to production",
        "mo",
        "The path Python Practice recommends, from the tutorial to code we are happy to deploy. "
        "Each entry says why it is here.",
        22,
        (
            (
                "The language",
                (
                    E(
                        "https://docs.python.org/3/tutorial/",
                        "Do the whole tutorial once, even if you know some Python.",
                    ),
                    E(
                        "https://www.youtube.com/watch?v=OSGv2VnC0go",
                        "Idiomatic loops and dictionaries in forty minutes.",
                    ),
                    E("https://nedbatchelder.com/text/names.html", "Why a = b never copies."),
                    E("https://www.youtube.com/watch?v=wf-BqAjZb8M", "Before you argue about line length in review."),
                    E("file:Python style guide", "How we write it here."),
                ),
            ),
            (
                "Testing",
                (
                    E(
                        "https://docs.pytest.org/en/stable/getting-started.html",
                        "Every repository we have uses pytest.",
                    ),
                    E(
                        "https://hypothesis.readthedocs.io/en/latest/quickstart.html",
                        "The kata showed how many bugs property tests find.",
                    ),
                    E(
                        "https://martinfowler.com/articles/practical-test-pyramid.html",
                        "How many of each kind of test.",
                    ),
                    E(
                        "page:Lightning talk: flaky tests",
                        "My slides on flaky tests (shared with the speakers so far).",
                    ),
                ),
            ),
            (
                "Tools and packaging",
                (
                    E("https://docs.astral.sh/ruff/", "Our linter and formatter, in CI everywhere."),
                    E("https://mypy.readthedocs.io/en/stable/cheat_sheet_py3.html", "Keep it open while you annotate."),
                    E("file:Type hints cheat sheet", "Jun's shorter version."),
                    E(
                        "https://packaging.python.org/en/latest/tutorials/packaging-projects/",
                        "When your script becomes a library.",
                    ),
                ),
            ),
        ),
        space="python-practice",
        tags=("python", "reading-list"),
        collaborators=("tom",),
        official=("computer programming", "Backend Engineer", "Python"),
        followers=12,
    ),
    BoardSpec(
        "Your first month: reading for new joiners",
        "lee",
        "What every new colleague reads in their first weeks, in the order that makes sense.",
        44,
        (
            (
                "Week one",
                (
                    E("file:Onboarding checklist", "Tick it off as you go."),
                    E("page:Your first week", "What happens on each day."),
                    E("file:Security awareness handbook", "Required reading: twenty minutes."),
                    E(
                        "https://www.ncsc.gov.uk/collection/top-tips-for-staying-secure-online",
                        "The same advice, useful at home too.",
                    ),
                ),
            ),
            (
                "How we work together",
                (
                    E("https://basecamp.com/guides/how-we-communicate", "Not our rules, but close to how we write."),
                    E("https://nohello.net/", "Please: just ask your question."),
                    E("https://jvns.ca/blog/good-questions/", "How to get unstuck quickly."),
                    E("https://www.paulgraham.com/makersschedule.html", "Why some colleagues block out afternoons."),
                ),
            ),
            (
                "Learning to learn",
                (
                    E("https://www.coursera.org/learn/learning-how-to-learn", "The most popular free course online."),
                    E("https://fs.blog/feynman-technique/", "Explain it simply to check you understand it."),
                    E("https://ncase.me/remember/", "Spaced repetition, as a comic."),
                ),
            ),
        ),
        space="new-joiners",
        tags=("onboarding", "reading-list"),
        collaborators=("hannah", "larissa"),
        official=("", "New joiner", "Onboarding"),
        followers=14,
    ),
    BoardSpec(
        "On-call and incident response",
        "kenji",
        "Read before your first on-call shift, and again after your first incident.",
        33,
        (
            (
                "Before your first shift",
                (
                    E("page:On-call handbook", "How our rota, paging and escalation work."),
                    E("https://sre.google/sre-book/table-of-contents/", "Chapters 11 to 15 are about being on call."),
                    E("https://response.pagerduty.com/", "We took our severity levels from here."),
                    E("https://www.brendangregg.com/usemethod.html", "The checklist for a slow system."),
                ),
            ),
            (
                "During an incident",
                (
                    E("page:Restarting the payment workers", "The runbook we use most."),
                    E("page:Rotating database credentials", "Practise it once on staging."),
                    E("https://www.atlassian.com/incident-management/handbook", "Roles and communication."),
                ),
            ),
            (
                "After an incident",
                (
                    E("https://sre.google/sre-book/postmortem-culture/", "Blameless, always."),
                    E("https://github.com/danluu/post-mortems", "Two a week and you start seeing the patterns."),
                    E("page:Incident review: sign-in outage", "Our own, written with that template."),
                ),
            ),
        ),
        space="platform",
        tags=("sre", "incident", "reading-list"),
        collaborators=("arjun", "kevin"),
        official=("", "Site Reliability Engineer", "Incident response"),
        followers=8,
    ),
    BoardSpec(
        "Design inspiration",
        "oliver",
        "Pictures and patterns worth stealing from: an image wall the design team keeps adding to.",
        24,
        (
            (
                "Interfaces",
                (
                    E("save:oliver https://lawsofux.com/", "Hick's law in one picture."),
                    E("save:camila https://design-system.service.gov.uk/", "One thing per page."),
                    E("save:anh https://www.nngroup.com/articles/ten-usability-heuristics/", "What our audit found."),
                    E("https://www.refactoringui.com/", "Hierarchy, spacing, colour."),
                    E("https://m3.material.io/", "For the Android app."),
                ),
            ),
            (
                "Charts and diagrams",
                (
                    E("save:priya https://ourworldindata.org/", "The chart that opens every data-literacy talk."),
                    E("save:hana https://datavizcatalogue.com/", "What we actually use."),
                    E("save:weiling https://seeing-theory.brown.edu/", "Statistics drawn beautifully."),
                    E("save:kenji https://kubernetes.io/docs/concepts/overview/", "Architecture, simply drawn."),
                ),
            ),
        ),
        layout=Board.Layout.WALL,
        tags=("design", "inspiration"),
        collaborators=("camila", "anh"),
        followers=7,
    ),
    BoardSpec(
        "Checkout redesign research",
        "sophie",
        "What we know about why people give up at checkout, and what we decided because of it.",
        20,
        (
            (
                "Why people abandon checkout",
                (
                    E(
                        "https://baymard.com/lists/cart-abandonment-rate",
                        "Extra costs and forced accounts top the list.",
                    ),
                    E("https://baymard.com/blog", "Their form-field research shaped our address step."),
                    E(
                        "https://www.nngroup.com/articles/why-you-only-need-to-test-with-5-users/",
                        "Why we test every week with five people.",
                    ),
                ),
            ),
            (
                "Accessibility",
                (
                    E("https://www.w3.org/WAI/WCAG22/quickref/", "Our target is AA."),
                    E("https://www.a11yproject.com/checklist/", "Before every design review."),
                    E("https://webaim.org/resources/contrastchecker/", "Check every new colour."),
                    E("page:Accessibility test plan", "How Gus tests each release."),
                ),
            ),
            (
                "Decisions",
                (
                    E("page:Decision: one-page checkout", "Why one page, and what we gave up."),
                    E("page:Design review: payment step", "Notes from the review."),
                ),
            ),
        ),
        space="checkout-redesign",
        tags=("checkout", "ux-research"),
        collaborators=("oliver", "mo"),
        followers=5,
    ),
    BoardSpec(
        "Leading a team for the first time",
        "amara",
        "For new engineering managers and team leads: what helped us in our first year.",
        30,
        (
            (
                "One-on-ones and feedback",
                (
                    E(
                        "https://www.manager-tools.com/2005/07/the-single-most-effective-management-tool-part-1",
                        "Start weekly one-on-ones in your first week.",
                    ),
                    E("https://www.radicalcandor.com/our-approach/", "Care personally, challenge directly."),
                    E("https://hbr.org/2019/03/the-feedback-fallacy", "The counterpoint: read both."),
                    E("file:Giving feedback: the SBI model", "The model we teach in the Leadership Circle."),
                ),
            ),
            (
                "Teams",
                (
                    E(
                        "https://rework.withgoogle.com/guides/understanding-team-effectiveness/",
                        "Psychological safety first.",
                    ),
                    E(
                        "https://www.ted.com/talks/amy_edmondson_how_to_turn_a_group_of_strangers_into_a_team",
                        "Twelve minutes on teaming.",
                    ),
                    E("https://www.atlassian.com/team-playbook", "Workshops to run with your team."),
                ),
            ),
            (
                "Your own growth",
                (
                    E("https://charity.wtf/2017/05/11/the-engineer-manager-pendulum/", "You can always go back."),
                    E(
                        "https://www.kitchensoap.com/2012/10/25/on-being-a-senior-engineer/",
                        "What we expect of seniors.",
                    ),
                    E("https://lethain.com/elegant-puzzle/", "When your team becomes teams."),
                ),
            ),
        ),
        space="leadership-circle",
        tags=("leadership", "management", "reading-list"),
        official=("", "Engineering Manager", "Leadership"),
        followers=8,
    ),
    BoardSpec(
        "SQL practice",
        "alice",
        "My path through SQL, shared with my mentor and Priya so they can see how far I got.",
        26,
        (
            (
                "",
                (
                    E("https://sqlbolt.com/", "Done all the lessons!"),
                    E("https://mode.com/sql-tutorial/", "Intermediate and advanced sections next."),
                    E("file:SQL window functions: worked examples", "Chris's examples, with our own tables."),
                    E("page:Notes from SQL office hours", "My notes."),
                    E("https://use-the-index-luke.com/", "For when my queries get slow."),
                    E("https://www.postgresql.org/docs/current/tutorial.html", "The official one."),
                ),
            ),
        ),
        shared_with=("mo", "priya"),
        tags=("sql", "learning-plan"),
        followers=2,
    ),
    BoardSpec(
        "Customer interviews toolkit",
        "beatriz",
        "Everything you need to run a customer interview that teaches us something.",
        18,
        (
            (
                "Before",
                (
                    E("https://www.momtestbook.com/", "Ask about their life, not your idea."),
                    E("https://hbr.org/2016/09/know-your-customers-jobs-to-be-done", "What job did they hire us for?"),
                ),
            ),
            ("During", (E("https://www.nngroup.com/articles/user-interviews/", "How to run the session."),)),
            (
                "Making sense of it",
                (
                    E("https://www.nngroup.com/articles/journey-mapping-101/", "Turn notes into a journey map."),
                    E("https://en.wikipedia.org/wiki/Net_promoter_score", "And what NPS can and cannot tell you."),
                ),
            ),
        ),
        space="customer-insights",
        tags=("customer-research",),
        collaborators=("nia",),
        followers=5,
    ),
]


# --------------------------------------------------------------------------------------------- pictures


def _initials(domain: str) -> str:
    """'docs.python.org' → 'Py', 'design-system.service.gov.uk' → 'DS': the site's name, not its sub-domain."""
    labels = domain.removeprefix("www.").split(".")
    generic = {"com", "org", "net", "io", "dev", "gov", "uk", "co", "fr", "edu", "me", "cc", "wtf", "design", "js"}
    name = next((label for label in labels if label not in generic and label not in ("docs", "developer", "help")), "")
    name = name or labels[0]
    words = [w for w in name.replace("_", "-").split("-") if w]
    if len(words) > 1:
        return (words[0][0] + words[1][0]).upper()
    return name[:1].upper() + name[1:2].lower()


def _palette(domain: str) -> int:
    return int(hashlib.sha256(domain.encode()).hexdigest()[:6], 16) % len(media.PALETTES)


def _font(size: int):
    return ImageFont.load_default(size=size)


def _card(domain: str, title: str, palette: int | None = None) -> bytes:
    """A link preview picture: the site's initials on its colour, its domain and the page's title."""
    width, height = 640, 336
    start, end = media.PALETTES[_palette(domain) if palette is None else palette % len(media.PALETTES)]
    strip = Image.new("RGB", (2, 1))
    strip.putdata([_rgb(start), _rgb(end)])
    image = strip.resize((width, height), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, 200, 200), radius=28, fill=(255, 255, 255))
    draw.text((120, 122), _initials(domain), font=_font(84), fill=_rgb(start), anchor="mm")
    draw.text((232, 70), domain.removeprefix("www."), font=_font(26), fill=(255, 255, 255))
    y = 236
    for line in _wrap(title, 44)[:2]:
        draw.text((40, y), line, font=_font(30), fill=(255, 255, 255))
        y += 38
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _favicon(domain: str) -> bytes:
    start, _ = media.PALETTES[_palette(domain)]
    image = Image.new("RGB", (64, 64), _rgb(start))
    draw = ImageDraw.Draw(image)
    draw.text((32, 33), _initials(domain)[:1], font=_font(40), fill=(255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _wrap(text: str, width: int) -> list[str]:
    ascii_text = text.encode("ascii", "replace").decode().replace("?", "-") if not text.isascii() else text
    lines, line = [], ""
    for word in ascii_text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


# ------------------------------------------------------------------------------------ the demo's links


def schedule_links(timeline: Timeline, staff: dict[str, User], spaces: dict[str, Space], *, seed: int) -> None:
    """Put every save, preview, comment, board, follow and tick on the demo's timeline."""
    from core.seeding.demo import Timeline

    # A stream of its own, so that the links change nothing else the demo draws at random.
    rng = random.Random(f"links-{seed}")
    clock = Timeline(now=timeline.now, rng=rng)
    state = _State(staff=staff, spaces=spaces, rng=rng)
    image_saves = {(url, who): (name, make, note) for url, who, name, make, note in _image_saves() if who in staff}
    last_save: dict[str, datetime] = {}
    for spec in LINKS:
        savers = _savers(rng, spec, staff)
        savers += [who for url, who in image_saves if url == spec.url and who not in savers]
        first = rng.uniform(6, 56)
        for n, username in enumerate(savers):
            days = first if n == 0 else rng.uniform(1, first - 0.3)
            if (spec.url, username) in image_saves:
                days = rng.uniform(26, 50)  # before the image wall board is made from them
            when = clock.moment(days, staff[username])
            last_save[spec.url] = max(last_save.get(spec.url, when), when)
            image = image_saves.get((spec.url, username))
            timeline.add(when, lambda w, s=spec, u=username, i=image, k=n: state.save(s, u, w, image=i, first=k == 0))
    for url, thread in COMMENTS:
        start = last_save.get(url)
        if start is None:
            continue
        for author, body in thread:
            if author in staff:
                start = min(start + timedelta(hours=rng.uniform(2, 40)), timeline.now - timedelta(minutes=30))
                timeline.add(start, lambda w, u=url, a=author, b=body: state.comment(u, a, b, w))
    for spec in BOARDS:
        if spec.owner in staff:
            _schedule_board(timeline, clock, state, spec)


def _savers(rng: random.Random, spec: LinkSpec, staff: dict[str, User]) -> list[str]:
    """Who saves ``spec``: its audience first (a popular link reaches beyond it), the first saver leading."""
    departments, _ = AUDIENCES[spec.topic]
    people = [u for u, p in staff.items() if u not in ("olly", "gus")]
    if spec.topic == "leadership":
        audience = [u for u in people if any(w in staff[u].job_title for w in SENIOR_WORDS)]
    elif departments:
        audience = [u for u in people if staff[u].department in departments]
    else:
        audience = list(people)
    if spec.topic == "finance" and "olly" in staff:
        audience.append("olly")
    if spec.topic in ("checkout", "accessibility") and "gus" in staff:
        audience.append("gus")
    wanted = spec.savers or rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
    chosen = rng.sample(audience, min(wanted, len(audience)))
    if len(chosen) < wanted:
        others = [u for u in people if u not in chosen]
        chosen += rng.sample(others, min(wanted - len(chosen), len(others)))
    return chosen


def _board_saves() -> frozenset[tuple[str, str]]:
    """The colleagues' saves (``save:<username> <url>``) that boards of the script put on them."""
    refs = (entry.ref for spec in BOARDS for _, entries in spec.sections for entry in entries)
    pairs = (ref.removeprefix("save:").split(" ", 1) for ref in refs if ref.startswith("save:") and " " in ref)
    return frozenset((username, normalise_url(url)) for username, url in pairs)


_BOARD_SAVES = _board_saves()


@dataclass
class _State:
    """What the timeline's steps share: the people, the spaces and the random stream."""

    staff: dict[str, User]
    spaces: dict[str, Space]
    rng: random.Random

    def member_of(self, person: User, slug: str | None) -> Space | None:
        space = self.spaces.get(slug) if slug else None
        forget_space_roles(person)
        return space if space is not None and can_create_in(person, space) else None

    def placement(self, person: User, topic: str) -> tuple[Space | None, str, list]:
        """Where a save goes: the topic's space for half its members, else their own links (a few private)."""
        rng = self.rng
        space = self.member_of(person, AUDIENCES[topic][1])
        if person.is_guest:
            return (space, Visibility.SPACE, []) if space else (None, Visibility.PRIVATE, [])
        if space is not None and (rng.random() < 0.5 or space.visibility == space.Visibility.INVITE_ONLY):
            if space.visibility == space.Visibility.INVITE_ONLY or rng.random() < 0.15:
                return space, Visibility.SPACE, []
            return space, Visibility.ORGANISATION, []
        roll = rng.random()
        if roll < 0.1:
            return None, Visibility.PRIVATE, []
        if roll < 0.16:
            colleagues = [p for u, p in self.staff.items() if p.department == person.department and p.pk != person.pk]
            if colleagues:
                return None, Visibility.PEOPLE, rng.sample(colleagues, min(2, len(colleagues)))
        return None, Visibility.ORGANISATION, []

    def save(self, spec: LinkSpec, username: str, when: datetime, *, image=None, first: bool = False) -> None:
        person = self.staff[username]
        if Bookmark.objects.filter(saver=person, link__url_hash=services.url_hash(normalise_url(spec.url))).exists():
            return  # saved already, on a board the person curates
        rng = self.rng
        space, visibility, shared = self.placement(person, spec.topic)
        if (username, normalise_url(spec.url)) in _BOARD_SAVES and visibility != Visibility.ORGANISATION:
            # A curator put this save on a board: it is one the whole organisation can see.
            space, visibility, shared = None, Visibility.ORGANISATION, []
        notes = spec.note if first else ""
        if image is not None:
            notes = image[2]
        elif not notes and rng.random() < 0.4:
            notes = rng.choice(TALK_NOTES if "talk" in spec.tags else NOTES)
        tags = list(spec.tags)
        if rng.random() < 0.15:
            tags.append(rng.choice(PERSONAL_TAGS))
        upload = None
        if image is not None:
            content = image[1]()
            upload = SimpleUploadedFile(image[0], content, "image/png" if content[:4] == b"\x89PNG" else "image/jpeg")
        outcome = services.save_link(
            user=person,
            url=spec.url,
            # Some people keep the page's own title, which the preview fills in.
            title="" if rng.random() < 0.2 and not first else spec.title,
            description=spec.description if rng.random() < 0.7 else "",
            notes=notes,
            tags=tags,
            space=space,
            visibility=visibility,
            shared_with=shared,
            saved_at=when,
            image=upload,
        )
        _preview(outcome.bookmark.link, spec)
        self.stamp(outcome.bookmark.item_id, when)

    def own_save(self, person: User, url: str, when: datetime, board_space: Space | None) -> Item | None:
        """The curator's save of ``url``, made now when they had not saved it yet."""
        spec = next((s for s in LINKS if s.url == url), None)
        existing = (
            Bookmark.objects.filter(saver=person, link__url_hash=services.url_hash(normalise_url(url)))
            .select_related("item")
            .first()
        )
        if existing is not None:
            return existing.item if existing.item.deleted_at is None else None
        if spec is None:
            return None
        space = board_space if board_space is not None and can_create_in(person, board_space) else None
        visibility = Visibility.ORGANISATION
        if space is not None and space.visibility == space.Visibility.INVITE_ONLY:
            visibility = Visibility.SPACE
        outcome = services.save_link(
            user=person,
            url=url,
            title=spec.title,
            description=spec.description,
            tags=spec.tags,
            space=space,
            visibility=visibility,
            saved_at=when,
        )
        _preview(outcome.bookmark.link, spec)
        self.stamp(outcome.bookmark.item_id, when)
        return outcome.bookmark.item

    def comment(self, url: str, username: str, body: str, when: datetime) -> None:
        from links.discussion import add_comment

        link = Link.objects.filter(url_hash=services.url_hash(normalise_url(url))).first()
        if link is None:
            return
        try:
            comment = add_comment(link=link, author=self.staff[username], body=body)
        except PermissionDenied:
            return  # none of the saves is one this person may see
        Comment.objects.filter(pk=comment.pk).update(created=when)

    @staticmethod
    def stamp(item_id: int, when: datetime) -> None:
        """Services stamp the present moment: move what this step wrote back to its own."""
        Item.objects.filter(pk=item_id).update(created=when, updated=when)
        Watch.objects.filter(item_id=item_id, created__gt=when).update(created=when)


def _preview(link: Link, spec: LinkSpec) -> None:
    """What the background fetch would have stored minutes after the first save: title, description,
    and the pictures (drawn here instead of fetched)."""
    if link.preview_status == Link.Preview.OK:
        return
    domain = link.domain
    services.record_preview(
        link=link,
        title=spec.title,
        description=spec.description,
        image=ContentFile(_card(domain, spec.title), name=f"{slugify(domain)}-{link.pk}.jpg"),
        favicon=ContentFile(_favicon(domain), name=f"{slugify(domain)}.png"),
    )


def _schedule_board(timeline: Timeline, clock: Timeline, state: _State, spec: BoardSpec) -> None:
    rng, staff = state.rng, state.staff
    owner = staff[spec.owner]
    created = clock.moment(spec.days_ago, owner)
    built: dict[str, Board] = {}
    timeline.add(created, lambda w: _create_board(state, spec, w, built))
    timeline.add(clock.moment(rng.uniform(1, 4), owner), lambda w: _complete_board(state, spec, built, w))
    # Whatever a colleague saved after that (the order shifts with the weekday the demo is made on)
    # is added on a last pass, so the board always ends up as written.
    timeline.add(timeline.now - timedelta(minutes=15), lambda w: _complete_board(state, spec, built, w))
    if spec.official is not None and "lee" in staff:
        timeline.add(created + timedelta(hours=rng.uniform(2, 30)), lambda w: _make_official(state, spec, built))
    # Readers find the board over the following weeks and work through it at their own pace.
    candidates = [u for u in _likely_readers(spec) if u in staff and u not in (spec.owner, *spec.collaborators)]
    rng.shuffle(candidates)
    if "alice" in candidates and spec.space in ("data-guild", "python-practice", "new-joiners"):
        candidates.remove("alice")
        candidates.insert(0, "alice")  # the learner persona follows the lists her story needs
    followers = candidates[: spec.followers]
    age = (timeline.now - created).total_seconds() / 86400
    for username in followers:
        follow_at = created + timedelta(days=rng.uniform(0.2, max(0.3, age * 0.6)))
        pace = rng.choice([0, 0.2, 0.5, 1.0, 1.0, 1.5])  # entries a day; some never start
        timeline.add(follow_at, lambda w, u=username: _follow(state, u, built, w))
        done_at = follow_at
        for _ in range(int(pace * 12)):
            done_at += timedelta(days=rng.uniform(0.3, 3) / max(pace, 0.1))
            if done_at >= timeline.now:
                break
            timeline.add(done_at, lambda w, u=username: _tick_next(state, u, built, w))


def _likely_readers(spec: BoardSpec) -> list[str]:
    """Who will be able to see the board: the people it is shared with, the members an invitation-only
    space is planned to have, or everyone but the guest and the outsider."""
    if spec.shared_with:
        return list(spec.shared_with)
    row = next((row for row in data.SPACES if row[0] == spec.space), None)
    if row is not None and row[3] == "invite":
        _, _, _, _, owner, moderators, _, plan = row
        return [owner, *moderators, *plan.get("also", ()), *plan.get("invited", ())]
    return [username for username, *_ in data.PEOPLE if username not in ("gus", "olly")]


def _create_board(state: _State, spec: BoardSpec, when: datetime, built: dict[str, Board]) -> None:
    staff = state.staff
    owner = staff[spec.owner]
    space = state.member_of(owner, spec.space)
    shared = [staff[u] for u in spec.shared_with if u in staff]
    if spec.shared_with:
        visibility = Visibility.PEOPLE if shared else Visibility.PRIVATE
    elif space is not None and space.visibility == space.Visibility.INVITE_ONLY:
        visibility = Visibility.SPACE
    else:
        visibility = Visibility.ORGANISATION
    board = services.create_board(
        owner=owner,
        title=spec.title,
        description=spec.description,
        space=space,
        visibility=visibility,
        tags=spec.tags,
        shared_with=shared,
        layout=spec.layout,
    )
    built["board"] = board
    for title, entries in spec.sections:
        section = services.add_section(board=board, actor=owner, title=title) if title else None
        for entry in entries:
            if not _add_entry(state, board, owner, entry, section, when, space):
                built.setdefault("later", []).append((entry, section))
    collaborators = [staff[u] for u in spec.collaborators if u in staff]
    visible = [person for person in collaborators if _forget(person) and can_view(person, board.item)]
    if visible:
        services.set_collaborators(board=board, actor=owner, people=visible)
    _State.stamp(board.pk, when)


def _add_entry(state: _State, board: Board, owner: User, entry: Entry, section, when: datetime, space) -> bool:
    """Put the entry's item on the board; False when it does not exist yet (or the curator cannot see it)."""
    item = _entry_item(state, owner, entry.ref, when, space)
    if item is None or not can_view(owner, item):
        return False
    if not BoardEntry.objects.filter(board=board, item=item).exists():
        entry_row = services.add_entry(board=board, actor=owner, item=item, note=entry.note, section=section)
        BoardEntry.objects.filter(pk=entry_row.pk).update(added=when)
    return True


def _complete_board(state: _State, spec: BoardSpec, built: dict, when: datetime) -> None:
    """The curator comes back and adds what was not written yet when the board was made."""
    board = built.get("board")
    if board is None:
        return
    owner = state.staff[spec.owner]
    forget_space_roles(owner)
    board.refresh_from_db()
    pending = built.pop("later", [])
    for entry, section in pending:
        if not _add_entry(state, board, owner, entry, section, when, board.item.space):
            built.setdefault("later", []).append((entry, section))


def _forget(person: User) -> bool:
    forget_space_roles(person)
    return True


def _entry_item(state: _State, owner: User, ref: str, when: datetime, space: Space | None) -> Item | None:
    kind, _, rest = ref.partition(":")
    if kind == "file" or kind == "page":
        return Item.objects.filter(kind=kind, title=rest, deleted_at__isnull=True).order_by("pk").first()
    if kind == "save" and " " in rest:
        username, url = rest.split(" ", 1)
        person = state.staff.get(username)
        if person is None:
            return None
        bookmark = Bookmark.objects.filter(saver=person, link__url_hash=services.url_hash(normalise_url(url))).first()
        return bookmark.item if bookmark is not None else None
    return state.own_save(owner, ref, when, space)


def _make_official(state: _State, spec: BoardSpec, built: dict[str, Board]) -> None:
    from people.models import Skill

    board = built.get("board")
    if board is None:
        return
    skill_name, role, topic = spec.official
    skill = Skill.objects.filter(name__iexact=skill_name).order_by("depth", "pk").first() if skill_name else None
    board.refresh_from_db()
    services.set_official(board=board, actor=state.staff["lee"], official=True, skill=skill, role=role, topic=topic)


def _follow(state: _State, username: str, built: dict[str, Board], when: datetime) -> None:
    board = built.get("board")
    person = state.staff[username]
    forget_space_roles(person)
    if board is None or not can_view(person, board.item):
        return
    services.follow_board(board=board, user=person)
    Watch.objects.filter(user=person, item_id=board.pk).update(created=when)


def _tick_next(state: _State, username: str, built: dict[str, Board], when: datetime) -> None:
    """The reader marks the first entry they have not done yet (in the board's order) as done."""
    board = built.get("board")
    person = state.staff[username]
    if board is None or not Watch.objects.filter(user=person, item_id=board.pk).exists():
        return
    forget_space_roles(person)
    done = EntryProgress.objects.filter(user=person, entry__board=board).values("entry_id")
    for entry in board.entries.exclude(pk__in=done).select_related("item").order_by("position", "pk"):
        if can_view(person, entry.item):
            services.mark_done(entry=entry, user=person)
            EntryProgress.objects.filter(entry=entry, user=person).update(done_at=when)
            return


# ---------------------------------------------------------------------------- the large organisation

LARGE_LINKS = 100_000
LARGE_SHARED = 0.35  # the share of saves that are of a page someone else saved too
BATCH = 5_000


def seed_large_links(
    *,
    seed: int,
    now: datetime,
    people: list,
    spaces: list[Space],
    members_of: dict[int, list[int]],
    tags: list[int],
    count: int = LARGE_LINKS,
) -> int:
    """``count`` saves of about 65,000 pages by the large organisation's people, in bulk.

    The rows keep the services' invariants: an Item and a Bookmark per save, one Link per normalised
    address (``url_hash`` of ``normalise_url``), at most one save per person per link, ``save_count``
    counting the saves, saves in a space only by its members, a created activity per save (saving
    watches nothing). Pages share a drawn picture and favicon per site, stored once, and are marked as
    previewed. Rows go in with ``large._insert`` (``bulk_create`` spent most of the time building
    model instances) and their keys are read back in insertion order.
    """
    from core.seeding.large import _insert

    rng = random.Random(f"links-large-{seed}")
    sites = sorted({urlsplit(spec.url).hostname for spec in LINKS})
    pictures = _site_pictures(sites)
    spaces_of: dict[int, list[int]] = defaultdict(list)
    for space_pk, pks in members_of.items():
        for pk in pks:
            spaces_of[pk].append(space_pk)
    invite_only = {s.pk for s in spaces if s.visibility == "invite"}
    owners = [p.pk for p in people]
    rng.shuffle(owners)
    owner_weights = list(accumulate(1 / (n + 1) ** 0.6 for n in range(len(owners))))

    # The pages: every one saved once, and a popular head that many save again.
    pages: list[tuple[str, str, str, str, datetime]] = []  # (url, domain, title, description, first saved)
    seen: set[str] = set()
    while len(pages) < int(count * (1 - LARGE_SHARED)):
        site = rng.choice(sites)
        topic = rng.choice(data.TOPICS)
        title = rng.choice(data.TITLE_PATTERNS).format(t=topic)
        url = normalise_url(f"https://{site}/{slugify(topic)}/{slugify(title)}-{len(pages) + 1}")
        if url not in seen:
            seen.add(url)
            created = now - timedelta(days=730 * rng.random() ** 2, seconds=rng.randint(0, 86_399))
            pages.append((url, site, title, rng.choice(data.SUMMARY_PATTERNS).format(t=topic), created))
    page_weights = list(accumulate(1 / (n + 1) ** 0.9 for n in range(len(pages))))
    saves: list[tuple[int, int]] = []  # (owner, page index)
    taken: set[tuple[int, int]] = set()
    while len(saves) < count:
        owner = owners[bisect_right(owner_weights, rng.random() * owner_weights[-1])]
        index = len(saves) if len(saves) < len(pages) else bisect_right(page_weights, rng.random() * page_weights[-1])
        if (owner, index) not in taken:
            taken.add((owner, index))
            saves.append((owner, index))
    counts = [0] * len(pages)
    for _, index in saves:
        counts[index] += 1

    first_link = Link.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    link_fields = (
        "url", "url_hash", "domain", "title", "description", "image", "favicon", "preview_status",
        "preview_error", "preview_attempts", "fetched_at", "save_count", "created",
    )  # fmt: skip
    _insert(
        Link,
        link_fields,
        (
            (url, services.url_hash(url), site, title, text, *pictures[site], "ok", "", 0, created, n, created)
            for (url, site, title, text, created), n in zip(pages, counts, strict=True)
        ),
    )
    link_pks = list(Link.objects.filter(pk__gt=first_link).order_by("pk").values_list("pk", flat=True))

    item_fields = ("kind", "title", "summary", "owner", "space", "visibility", "created", "updated")
    item_fields += ("rating_count", "rating_sum")
    made = 0
    for start in range(0, len(saves), 20_000):
        rows = []
        for position, (owner, index) in enumerate(saves[start : start + 20_000], start=start):
            _, _, title, text, first = pages[index]
            my_spaces = spaces_of.get(owner)
            space = rng.choice(my_spaces) if my_spaces and rng.random() < 0.5 else None
            roll = rng.random()
            if space is None:
                visibility = "organisation" if roll < 0.8 else "private" if roll < 0.95 else "people"
            elif space in invite_only:
                visibility = "space"
            else:
                visibility = "organisation" if roll < 0.7 else "space"
            # The first save of each page made it; the others come after.
            saved = first if position < len(pages) else first + (now - first) * rng.random()
            rows.append((owner, index, space, visibility, saved, title, text))
        last_item = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        _insert(
            Item,
            item_fields,
            (
                ("link", title, text, owner, space, vis, saved, saved, 0, 0)
                for owner, _, space, vis, saved, title, text in rows
            ),
        )
        item_pks = list(Item.objects.filter(pk__gt=last_item).order_by("pk").values_list("pk", flat=True))
        bookmarks, tag_rows, shared_rows, activities = [], [], [], []
        for pk, (owner, index, space, visibility, saved, _, _) in zip(item_pks, rows, strict=True):
            note = rng.choice(NOTES) if rng.random() < 0.3 else ""
            bookmarks.append((pk, link_pks[index], owner, note, "", "", saved))
            tag_rows += [(pk, tag) for tag in rng.sample(tags, rng.randint(1, 3))]
            if visibility == "people":
                shared_rows += [(pk, other) for other in set(rng.sample(owners, 2)) - {owner}]
            activities.append((owner, Activity.Verb.CREATED, pk, space, saved, {}))
        _insert(Bookmark, ("item", "link", "saver", "notes", "image", "thumbnail", "saved_at"), bookmarks)
        _insert(Item.tags.through, ("item", "tag"), tag_rows)
        _insert(Item.shared_with.through, ("item", "user"), shared_rows)
        _insert(Activity, ("actor", "verb", "item", "space", "created", "extra"), activities)
        made += len(rows)
    return made


def _site_pictures(sites: list[str]) -> dict[str, tuple[str, str]]:
    """One preview card and favicon per site, stored once and shared by all its pages."""
    pictures = {}
    for site in sites:
        name = slugify(site)
        card = default_storage.save(f"links/images/bench/{name}.jpg", ContentFile(_card(site, site)))
        icon = default_storage.save(f"links/favicons/bench/{name}.png", ContentFile(_favicon(site)))
        pictures[site] = (card, icon)
    return pictures
