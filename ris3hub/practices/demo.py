"""Demo content of the good-practice library: a few well-known regional innovation practices,
described briefly from public sources, and workshops presenting them.

``build_demo(progress)`` is idempotent: a practice or workshop whose slug exists is left alone.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ris3hub import conf
from ris3hub.practices import actions
from ris3hub.practices.models import GoodPractice, Workshop
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.taxonomy.models import Concept

AUTHOR = {"author_name": "ris3hub demo editors", "author_email": "practices@example.org"}

PRACTICES = [
    {
        "slug": "emilia-romagna-high-technology-network",
        "title": "Emilia-Romagna High Technology Network",
        "summary": ("A network of industrial research laboratories and innovation centres accredited by the Region "
                    "of Emilia-Romagna, coordinated by the regional agency ART-ER, that carry out research and "
                    "technology transfer for companies."),
        "description": ("The network was set up under regional law 7/2002 on industrial research, innovation and "
                        "technology transfer. Laboratories of universities, research bodies and private centres "
                        "join it through a regional accreditation and are grouped by the regional specialisation "
                        "areas (mechanics and materials, agrifood, construction, energy and environment, ICT and "
                        "design, life sciences). Companies reach them for research contracts, services and joint "
                        "projects; many are hosted in the regional technopoles."),
        "resources_needed": ("Regional and ERDF funding for the laboratories' projects and equipment; an agency "
                             "(ART-ER) to accredit, coordinate and promote the network."),
        "timescale": "2002 – ongoing",
        "evidence_of_success": ("The network has lasted through several programming periods and organises the "
                                "regional research offer around the priority areas of the S3."),
        "difficulties": ("Keeping small companies aware of what the laboratories offer, and keeping accreditation "
                         "criteria meaningful as the network grows."),
        "potential_for_transfer": ("Regions that want to make public research usable by companies can copy the "
                                   "accreditation of laboratories, their grouping by specialisation area and a "
                                   "single agency coordinating them."),
        "keywords": "technology transfer, research laboratories, accreditation, innovation centres",
        "region": "ITH5", "institution": "ART-ER", "topics": ["meccanica-materiali", "ict-e-design"],
        "start_date": date(2002, 1, 1),
        "expert_opinion": ("A long-running regional model for linking research laboratories with companies, built "
                           "on accreditation and coordination rather than on a single institute."),
    },
    {
        "slug": "emilia-romagna-technopoles",
        "title": "Technopoles of Emilia-Romagna",
        "summary": ("Infrastructures in the main cities of Emilia-Romagna that host laboratories of the High "
                    "Technology Network, innovation centres and services for companies, built with ERDF funds."),
        "description": ("The technopoles were created with the 2007-2013 regional ERDF programme, in or next to "
                        "university campuses and research areas, as places where laboratories, start-ups and "
                        "companies meet. Each technopole hosts laboratories of the network and offers spaces and "
                        "services for collaboration with industry."),
        "resources_needed": ("ERDF investment in buildings and equipment; local agreements with universities and "
                             "municipalities."),
        "timescale": "2007-2013 programming period – ongoing",
        "evidence_of_success": ("The technopoles are the physical anchor of the High Technology Network in each "
                                "province."),
        "difficulties": "Bringing companies physically into the technopoles, beyond the laboratories themselves.",
        "potential_for_transfer": ("Useful for regions whose research is spread across several cities: one "
                                   "recognisable place per city, part of one regional network."),
        "keywords": "technopoles, research infrastructure, ERDF, innovation spaces",
        "region": "ITH5", "institution": "Tecnopolo di Bologna", "topics": ["energia-ambiente"],
        "start_date": date(2008, 1, 1),
        "expert_opinion": "Shows how ERDF infrastructure can give a regional research network a visible presence.",
    },
    {
        "slug": "clust-er-emilia-romagna",
        "title": "Clust-ER: regional associations for the S3 priority areas",
        "summary": ("Associations of companies, research laboratories and training bodies, one for each priority "
                    "area of the Emilia-Romagna S3, that build shared strategic agendas and projects."),
        "description": ("The Clust-ER associations gather the actors of a specialisation area (for example "
                        "agrifood, building and construction, health and wellbeing, mechatronics and motoring) "
                        "to discuss research and training needs, prepare joint projects and take part in "
                        "national and European networks."),
        "resources_needed": "Membership fees, regional support and coordination by ART-ER.",
        "timescale": "2017 – ongoing",
        "evidence_of_success": "Strategic agendas shared by companies and research bodies for each priority area.",
        "difficulties": "Keeping members active between calls for projects.",
        "potential_for_transfer": ("A way to give each S3 priority a standing forum for the entrepreneurial discovery "
                                   "process."),
        "keywords": "clusters, entrepreneurial discovery, S3 governance, strategic agendas",
        "region": "ITH5", "institution": "ART-ER", "topics": ["agroalimentare", "scienze-della-vita"],
        "start_date": date(2017, 1, 1),
        "expert_opinion": "A structured entrepreneurial discovery process with one forum per priority area.",
    },
    {
        "slug": "tuscany-technology-districts",
        "title": "Tuscany's regional technology districts",
        "summary": ("Regione Toscana organised support for research and innovation around regional technology "
                    "districts, each gathering companies, universities and research centres of one sector."),
        "description": ("Each district has a governance body that animates its sector, maps competences, "
                        "promotes collaboration between companies and research and helps prepare projects for "
                        "regional, national and European funding. Districts cover fields of the Tuscan S3 such as "
                        "life sciences, advanced manufacturing and ICT."),
        "resources_needed": "Regional funding for the district governance bodies and their animation activities.",
        "timescale": "2011 – ongoing, reorganised over time",
        "evidence_of_success": "Sector communities that the Region consults when it prepares and updates its S3.",
        "difficulties": "Overlaps between districts and other intermediaries; keeping the districts' roles distinct.",
        "potential_for_transfer": "For regions that want sector-based intermediaries linked to the S3 priorities.",
        "keywords": "technology districts, clusters, intermediaries, sector communities",
        "region": "ITI1", "institution": "REGIONE TOSCANA", "topics": ["scienze-della-vita"],
        "start_date": date(2011, 1, 1),
        "expert_opinion": "Sector districts give the region a direct channel to its innovation communities.",
    },
    {
        "slug": "open-innovation-lombardia",
        "title": "Open Innovation Lombardia platform",
        "summary": ("An online platform of Regione Lombardia where companies, universities and research centres "
                    "publish needs and projects, find partners and take part in consultations on the regional "
                    "research and innovation strategy."),
        "description": ("The platform gives each member a profile, lets them post challenges and collaboration "
                        "offers, and hosts thematic communities. The Region has used it to consult stakeholders "
                        "when it prepared its research and innovation programmes."),
        "resources_needed": "A platform operator, community managers and regional communication.",
        "timescale": "2015 – ongoing",
        "evidence_of_success": "Stakeholders of the regional innovation system gathered in one online place.",
        "difficulties": "Keeping the communities active and the profiles up to date.",
        "potential_for_transfer": "An online entrepreneurial discovery process that complements meetings and events.",
        "keywords": "open innovation, online platform, consultation, communities",
        "region": "ITC4", "institution": "REGIONE LOMBARDIA", "topics": ["ict-e-design"],
        "start_date": date(2015, 1, 1),
        "expert_opinion": "An example of using an online community for continuous stakeholder consultation.",
    },
]

WORKSHOPS = [
    {"slug": "learning-from-the-high-technology-network", "title": "Learning from the High Technology Network",
     "kind": Workshop.Kind.WORKSHOP, "days": 14, "start": time(10, 0), "hours": 3,
     "place": "Tecnopolo di Bologna, Bologna", "online_url": "", "capacity": 40,
     "practices": ["emilia-romagna-high-technology-network", "emilia-romagna-technopoles"],
     "description": ("How accredited laboratories work with companies: the network, the technopoles and their "
                     "services.")},
    {"slug": "entrepreneurial-discovery-online", "title": "Entrepreneurial discovery online: platforms and forums",
     "kind": Workshop.Kind.WEBINAR, "days": 35, "start": time(15, 0), "hours": 2,
     "place": "", "online_url": "https://meet.example.org/ris3hub-edp", "capacity": None,
     "practices": ["open-innovation-lombardia", "clust-er-emilia-romagna"],
     "description": "Online platforms and standing forums for consulting stakeholders on the S3."},
    {"slug": "technology-districts-study-visit", "title": "Study visit: technology districts in Tuscany",
     "kind": Workshop.Kind.STUDY_VISIT, "days": 60, "start": time(9, 30), "hours": 6,
     "place": "Firenze", "online_url": "", "capacity": 20, "practices": ["tuscany-technology-districts"],
     "description": "Meetings with district governance bodies and companies."},
]


def _organisation(name: str) -> Organisation | None:
    """The one registry organisation of that name, or whose name starts with it ("ART-ER ...")."""
    for lookup in ("name__iexact", "name__istartswith"):
        matches = list(Organisation.objects.filter(**{lookup: name})[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def build_demo(progress: bool = True) -> None:
    version = conf.nuts_version()
    created = 0
    with transaction.atomic():
        for spec in PRACTICES:
            if GoodPractice.objects.filter(slug=spec["slug"]).exists():
                continue
            fields = {k: v for k, v in spec.items() if k not in ("region", "institution", "topics")}
            topics = Concept.objects.filter(code__in=spec["topics"])
            actions.create_practice(
                **fields, **AUTHOR, topics=list(topics),
                region=Region.objects.filter(version=version, code=spec["region"]).first(),
                main_institution=_organisation(spec["institution"]))
            created += 1
        today = timezone.localdate()
        for spec in WORKSHOPS:
            if Workshop.objects.filter(slug=spec["slug"]).exists():
                continue
            starts = timezone.make_aware(datetime.combine(today + timedelta(days=spec["days"]), spec["start"]))
            actions.create_workshop(
                spec["title"], starts, starts + timedelta(hours=spec["hours"]), slug=spec["slug"], kind=spec["kind"],
                description=spec["description"], place=spec["place"], online_url=spec["online_url"],
                capacity=spec["capacity"], practices=list(GoodPractice.objects.filter(slug__in=spec["practices"])))
    if progress:
        print(f"  demo good practices: {created} created, {GoodPractice.objects.count()} in all, "
              f"{Workshop.objects.count()} workshops", file=sys.stderr)
