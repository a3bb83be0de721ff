"""Every word the site shows, in English and Persian: ``key: (English, Persian)``.

Fields in braces (``{n}``) are filled by :meth:`aban.site.i18n.Locale.t`, whole
numbers in the page's digits.
"""

from __future__ import annotations

__all__ = ["LABELS", "MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # Navigation and frame.
    "nav": ("Sections", "بخش‌ها"),
    "nav_home": ("Home", "خانه"),
    "nav_report": ("Report", "گزارش"),
    "nav_memorial": ("Memorial", "یادبود"),
    "nav_search": ("Search", "جست‌وجو"),
    "nav_methodology": ("Methodology", "روش‌شناسی"),
    "nav_data": ("Open data", "داده‌های باز"),
    "other_language": ("فارسی", "English"),
    "release_line": ("Release {number}", "انتشار {number}"),
    "built_at": ("built", "ساخته‌شده در"),
    "corrections": ("Corrections:", "اصلاحات:"),
    "footer_note": (
        "Sources, witnesses and families who asked not to be named are never "
        "published.",
        "منابع، شاهدان و خانواده‌هایی که نخواسته‌اند نامشان برده شود هرگز منتشر نمی‌شوند.",
    ),
    # Home.
    "headline_title": ("Headline figures", "ارقام اصلی"),
    "minimum_label": (
        "killed, confirmed or corroborated (enumerated minimum)",
        "کشته، تأییدشده یا پشتیبانی‌شده (حداقل شمارش‌شده)",
    ),
    "upper_label": (
        "including single-source reports (upper end)",
        "با احتساب گزارش‌های تک‌منبعی (حد بالا)",
    ),
    "estimate_label": (
        "statistical estimate of the total (95% interval {lower}–{upper})",
        "برآورد آماری کل (بازه ۹۵٪: {lower} تا {upper})",
    ),
    "headline_text": (
        "The register documents at least {minimum} persons killed, one by one, "
        "and up to {upper} when persons reported by a single source are included. "
        "{listed} of them are listed in the memorial.",
        "این دفتر دست‌کم {minimum} کشته را یک‌به‌یک مستند کرده است و با احتساب "
        "کسانی که تنها یک منبع گزارش کرده، تا {upper} نفر. {listed} نفر از آنان "
        "در یادبود فهرست شده‌اند.",
    ),
    "estimate_text": (
        "The estimate counts the victims no list reported too: multiple systems "
        "estimation ({model}) from {observed} persons on systematic lists.",
        "این برآورد قربانیانی را هم که هیچ فهرستی گزارش نکرده در نظر می‌گیرد: "
        "برآورد چندسیستمی ({model}) بر پایه {observed} نفر در فهرست‌های نظام‌مند.",
    ),
    "estimate_uncertainty_sampling": (
        "Its interval carries sampling uncertainty only: it takes the linked "
        "persons as certain, not the uncertainty of deciding which records "
        "describe the same person.",
        "بازه این برآورد تنها عدم قطعیت نمونه‌گیری را در بر دارد: افراد پیوندیافته "
        "را قطعی می‌گیرد و عدم قطعیت تشخیص این‌که کدام سوابق به یک نفر تعلق دارند "
        "در آن نیست.",
    ),
    "estimate_uncertainty_linkage": (
        "Its interval carries both sampling uncertainty and the uncertainty of "
        "deciding which records describe the same person (linkage): the total "
        "was estimated on many possible linkages and combined.",
        "بازه این برآورد هم عدم قطعیت نمونه‌گیری و هم عدم قطعیت تشخیص این‌که "
        "کدام سوابق به یک نفر تعلق دارند (پیوند سوابق) را در بر دارد: کل بر پایه "
        "پیوندهای ممکن بسیار برآورد و ترکیب شده است.",
    ),
    "estimate_stale": (
        "(Records were linked again after this estimate.)",
        "(پس از این برآورد، سوابق دوباره پیوند داده شده‌اند.)",
    ),
    "by_level_title": (
        "By identification level and grade",
        "بر پایه سطح شناسایی و درجه تأیید",
    ),
    "level": ("identification", "سطح شناسایی"),
    "minimum": ("minimum", "حداقل"),
    "upper": ("upper end", "حد بالا"),
    "total": ("total", "جمع"),
    "not_counted": (
        "Not counted: {contested} contested persons (sources disagree), "
        "{discounted} discounted (duplicates, found alive, unrelated) and "
        "{outside} persons outside the toll (for example detained only).",
        "شمرده نشده: {contested} نفر مورد مناقشه (اختلاف منابع)، {discounted} نفر "
        "کنارگذاشته (تکراری، زنده‌یافته، نامرتبط) و {outside} نفر بیرون از آمار "
        "کشته‌ها (مثلاً فقط بازداشت‌شده).",
    ),
    "ledger_title": (
        "Published tolls and this register",
        "آمارهای منتشرشده و این دفتر",
    ),
    "ledger_text": (
        "Each column is a published claim, a count of this register or its "
        "estimate, in date order (not to scale in time). A bar is a range; a "
        "dashed bar has no upper end.",
        "هر ستون یک ادعای منتشرشده، یک شمارش این دفتر یا برآورد آن است، به ترتیب "
        "تاریخ (فاصله‌ها متناسب با زمان نیست). میله یعنی بازه؛ میله خط‌چین "
        "حد بالا ندارد.",
    ),
    "series_claim": ("published claim", "ادعای منتشرشده"),
    "series_register": ("this register", "این دفتر"),
    "series_estimate": ("estimate", "برآورد"),
    "at_least": ("at least {n}", "دست‌کم {n}"),
    "range": ("{low}–{high}", "{low} تا {high}"),
    "interval95": ("95% interval {range}", "بازه ۹۵٪: {range}"),
    "releases_title": (
        "How the counts changed between releases",
        "تغییر ارقام از یک انتشار به انتشار بعد",
    ),
    "release": ("release", "انتشار"),
    "date": ("date", "تاریخ"),
    "listed": ("listed", "فهرست‌شده"),
    "estimate": ("estimate", "برآورد"),
    "change": ("change", "تغییر"),
    "change_text": (
        "minimum {minimum}, upper end {upper}, listed {listed}",
        "حداقل {minimum}، حد بالا {upper}، فهرست‌شده {listed}",
    ),
    "explore": ("Explore", "بیشتر"),
    "explore_report": (
        "deaths by day, place, age, sex, injury and alleged force",
        "کشته‌ها بر پایه روز، مکان، سن، جنس، محل جراحت و نیروی متهم",
    ),
    "explore_memorial": (
        "{listed} persons, one page each",
        "{listed} نفر، هر نفر یک صفحه",
    ),
    "explore_search": (
        "find a name in Persian or Latin script",
        "یافتن یک نام به خط فارسی یا لاتین",
    ),
    "explore_methodology": (
        "how persons are counted and graded",
        "چگونه افراد شمرده و درجه‌بندی می‌شوند",
    ),
    "explore_data": (
        "the published fields as CSV and JSON",
        "فیلدهای منتشرشده به صورت CSV و JSON",
    ),
    # Report.
    "report_title": ("Patterns of the killings", "الگوی کشتارها"),
    "report_text": (
        "{killed} persons killed, by the grades this site publishes; the bars are "
        "stacked by grade.",
        "{killed} کشته، با درجه‌هایی که این سایت منتشر می‌کند؛ میله‌ها بر پایه "
        "درجه تأیید روی هم چیده شده‌اند.",
    ),
    "small_counts": (
        "Figures count persons and never describe one: a place with fewer than "
        "{n} persons is counted under \u201cother places\u201d, and a count below "
        "{n} reads \u201cfewer than {n}\u201d (\u201cnot shown\u201d where it would "
        "let a small count be worked out from the total).",
        "این ارقام افراد را می‌شمارند و هیچ‌کس را توصیف نمی‌کنند: جایی با کمتر از "
        "{n} نفر زیر «جاهای دیگر» شمرده می‌شود و شماری کمتر از {n} به صورت «کمتر "
        "از {n}» می‌آید (و «نشان داده نشده» آنجا که با کمک جمع کل بتوان شمار کوچکی "
        "را حساب کرد).",
    ),
    "fewer_than": ("fewer than {n}", "کمتر از {n}"),
    "not_shown": ("not shown", "نشان داده نشده"),
    "timeline_title": ("Deaths by day", "کشته‌ها بر پایه روز"),
    "undated": (
        "{n} persons have no known date of death.",
        "تاریخ مرگ {n} نفر معلوم نیست.",
    ),
    "within_48h": (
        "{n} of the {of} persons with a known date were killed within 48 hours of "
        "this moment: {moment}.",
        "{n} نفر از {of} نفری که تاریخ مرگشان معلوم است در ۴۸ ساعت پس از این "
        "رویداد کشته شدند: {moment}.",
    ),
    "places_title": ("Where", "کجا"),
    "map_provinces": ("By province", "بر پایه استان"),
    "map_cities": ("By city", "بر پایه شهر"),
    "map_note": (
        "Places are approximate; a bubble's area is proportional to its count.",
        "مکان‌ها تقریبی‌اند؛ مساحت هر دایره با شمار آن متناسب است.",
    ),
    "map_list": ("{title}: the places as a list", "{title}: مکان‌ها به صورت فهرست"),
    "map_shaded_note": (
        "Provinces are shaded by their count; borders are simplified from "
        "OpenStreetMap (\u00a9 OpenStreetMap contributors, ODbL) and imply no "
        "position on any boundary.",
        "استان‌ها بر پایه شمارشان رنگ خورده‌اند؛ مرزها ساده‌شده از اوپن‌استریت‌مپ "
        "(\u00a9 مشارکت‌کنندگان اوپن‌استریت‌مپ، پروانه ODbL) هستند و دربارهٔ هیچ "
        "مرزی موضعی ندارند.",
    ),
    "map_as_bubbles": ("The same as bubbles", "همین به صورت دایره"),
    "shade_range": ("{low} to {high}", "{low} تا {high}"),
    "shade_more": ("{n} or more", "{n} یا بیشتر"),
    "shade_none": (
        "none, or counted under other places",
        "هیچ، یا شمرده‌شده در «جاهای دیگر»",
    ),
    "unplaced": ("Not on the map: {places}.", "بیرون از نقشه: {places}."),
    "by_province": ("By province", "بر پایه استان"),
    "by_age": ("By age", "بر پایه سن"),
    "children_note": (
        "The first band (under 18) is the children.",
        "گروه نخست (زیر ۱۸ سال) کودکان‌اند.",
    ),
    "by_sex": ("By sex", "بر پایه جنس"),
    "by_injury": ("By injury location", "بر پایه محل جراحت"),
    "head_torso": (
        "{n} of the {of} persons whose injury location is known were hit in the "
        "head or torso ({share}%, every grade).",
        "{n} نفر از {of} نفری که محل جراحتشان معلوم است از ناحیه سر یا تنه "
        "هدف قرار گرفتند ({share}٪، همه درجه‌ها).",
    ),
    "by_force": ("By alleged force", "بر پایه نیروی متهم"),
    "force_note": (
        "The records do not name the alleged force yet.",
        "سوابق هنوز نیروی متهم را ثبت نکرده‌اند.",
    ),
    # Memorial and person pages.
    "memorial_title": ("Memorial", "یادبود"),
    "memorial_text": ("{listed} persons.", "{listed} نفر."),
    "memorial_named": (
        "{n} are shown with their name.",
        "{n} نفر با نامشان آمده‌اند.",
    ),
    "memorial_unnamed_policy": (
        "The names of {n} are not shown under this site's publication policy: "
        "their families have not yet been asked, and until a family's answer is "
        'recorded the name is not published ("name not published").',
        "نام {n} نفر بنا بر سیاست انتشار این سایت نشان داده نمی‌شود: هنوز از "
        "خانواده‌شان پرسیده نشده است و تا پاسخ خانواده ثبت نشود نام منتشر نمی‌شود "
        "(«نام منتشر نشده»).",
    ),
    "memorial_unnamed_family": (
        "The families of {n} asked that the name not be shown; they are listed "
        "with what is known of them.",
        "خانواده‌های {n} نفر خواسته‌اند نامشان نشان داده نشود؛ این افراد با "
        "مشخصاتی که از آنان می‌دانیم آمده‌اند.",
    ),
    "memorial_unnamed_fields": (
        "This site publishes no names ({n} persons are listed without one).",
        "این سایت نامی منتشر نمی‌کند ({n} نفر بی‌نام آمده‌اند).",
    ),
    "memorial_unnamed_unknown": (
        '{n} are listed as "name unknown": no source gave their name.',
        "{n} نفر با عنوان «نام نامعلوم» آمده‌اند: هیچ منبعی نامشان را نداده است.",
    ),
    "search_link": ("Search the memorial by name", "جست‌وجوی نام در یادبود"),
    "pages": ("Pages", "صفحه‌ها"),
    "name_unknown": ("name unknown", "نام نامعلوم"),
    "name_hidden": ("name not published", "نام منتشر نشده"),
    "unnamed_policy": (
        "The name is not shown under this site's publication policy: the "
        "family has not yet been asked.",
        "نام بنا بر سیاست انتشار این سایت نشان داده نمی‌شود: هنوز از خانواده "
        "پرسیده نشده است.",
    ),
    "unnamed_family": (
        "The family asked that the name not be shown.",
        "خانواده خواسته است نام نشان داده نشود.",
    ),
    "unnamed_fields": (
        "This site does not publish names.",
        "این سایت نام‌ها را منتشر نمی‌کند.",
    ),
    "biography": ("Life", "زندگی"),
    "circumstances": ("How they were killed", "چگونگی جان باختن"),
    "story_source": ("In a source's words", "به روایت منبع"),
    "documented_title": ("How this entry was documented", "چگونگی مستندسازی"),
    "documented_sources": (
        "{n} independent sources report this person.",
        "{n} منبع مستقل این فرد را گزارش کرده‌اند.",
    ),
    "documented_one": (
        "one source reports this person so far.",
        "تاکنون یک منبع این فرد را گزارش کرده است.",
    ),
    "documented_evidence": (
        "Documentary evidence is linked to the entry.",
        "سندی به این مدخل پیوند داده شده است.",
    ),
    "documented_primary": (
        "One of the sources is primary.",
        "یکی از منابع دست‌اول است.",
    ),
    "print": ("Print this page", "چاپ این صفحه"),
    "portrait": ("portrait", "تصویر"),
    "person_id": ("entry", "شناسه"),
    "story": ("Their story", "روایت"),
    "grade_help": (
        "Confirmed: documentary evidence, or two independent sources one of "
        "which is primary. Corroborated: two independent sources. Single-source: "
        "one source so far.",
        "تأییدشده: سند، یا دو منبع مستقل که یکی از آن‌ها دست‌اول است. "
        "پشتیبانی‌شده: دو منبع مستقل. تک‌منبعی: تاکنون یک منبع.",
    ),
    "correct_entry": ("Correct this entry", "اصلاح این مدخل"),
    "quote_id": ("quote {id}", "شناسه {id} را ذکر کنید"),
    "back_memorial": ("Back to the memorial", "بازگشت به یادبود"),
    "field_name": ("name", "نام"),
    "field_name_other": ("name in the other script", "نام به خط دیگر"),
    "field_father_name": ("father's name", "نام پدر"),
    "field_father_name_other": (
        "father's name in the other script",
        "نام پدر به خط دیگر",
    ),
    "transliterated": ("transliterated", "نویسه‌گردانی"),
    "transliterated_help": (
        "No source wrote this name in this script: it is transliterated from the "
        "other script, and may be spelled otherwise.",
        "هیچ منبعی این نام را به این خط ننوشته است: از خط دیگر نویسه‌گردانی شده و "
        "ممکن است به گونه‌ای دیگر نوشته شود.",
    ),
    "field_age": ("age", "سن"),
    "field_birth_date": ("date of birth", "تاریخ تولد"),
    "field_sex": ("sex", "جنس"),
    "field_city": ("city", "شهر"),
    "field_province": ("province", "استان"),
    "field_date_of_death": ("date of death", "تاریخ مرگ"),
    "field_cause": ("cause of death", "علت مرگ"),
    "field_injury_location": ("injury location", "محل جراحت"),
    "field_alleged_force": ("alleged force", "نیروی متهم"),
    "field_occupation": ("occupation", "شغل"),
    "field_identification": ("identification", "سطح شناسایی"),
    "field_grade": ("verification grade", "درجه تأیید"),
    "field_national_id": ("national id", "کد ملی"),
    # Search.
    "search_title": ("Search by name", "جست‌وجوی نام"),
    "search_text": (
        "Type a name in Persian or Latin script: each finds the other "
        "(Pooya finds پویا). Persons listed without a name cannot be found by name.",
        "نامی را به خط فارسی یا لاتین بنویسید: هر کدام دیگری را هم پیدا می‌کند "
        "(پویا، Pooya را هم می‌یابد). افرادی که بی‌نام آمده‌اند با نام پیدا نمی‌شوند.",
    ),
    "search_label": ("Name", "نام"),
    "search_button": ("Search", "جست‌وجو"),
    "search_none": ("No name matches.", "نامی پیدا نشد."),
    "search_count": ("{n} found", "{n} مورد پیدا شد"),
    "search_loading": ("Loading the index...", "در حال بارگذاری فهرست..."),
    "search_noscript": (
        "Search needs JavaScript; browse the memorial instead:",
        "جست‌وجو به جاوااسکریپت نیاز دارد؛ به جای آن یادبود را ببینید:",
    ),
    # Methodology.
    "methodology_title": ("Methodology", "روش‌شناسی"),
    "policy_title": ("What this site publishes", "آنچه این سایت منتشر می‌کند"),
    "policy_fields": ("Fields published:", "فیلدهای منتشرشده:"),
    "policy_grades": ("Grades listed:", "درجه‌های فهرست‌شده:"),
    "policy_consent": (
        "A person whose family has not yet been asked is published as: {consent}.",
        "کسی که هنوز از خانواده‌اش پرسیده نشده این‌گونه منتشر می‌شود: {consent}.",
    ),
    "policy_never": (
        "Never published: sources' identities and contacts, informants, private "
        "notes, and any person whose family asked to withhold them.",
        "هرگز منتشر نمی‌شود: هویت و نشانی منابع، خبررسانان، یادداشت‌های خصوصی و "
        "هر کسی که خانواده‌اش خواسته منتشر نشود.",
    ),
    "policy_story": (
        "A short story is shown where the family consented to the name, and "
        "never from a source whose identity is protected.",
        "روایت کوتاه تنها جایی آمده که خانواده با انتشار نام موافقت کرده است، و "
        "هرگز از منبعی که هویتش محفوظ است.",
    ),
    "policy_stories": (
        "Stories the documenting team wrote appear only where the family "
        "consented to the name.",
        "روایت‌هایی که تیم مستندسازی نوشته تنها جایی می‌آیند که خانواده با انتشار "
        "نام موافقت کرده است.",
    ),
    "policy_unnamed": (
        "A person published without a name is described only by age, sex, the "
        "city and province (when on the map), date of death, body region hit "
        "and alleged force: never their national id, birth date or anything "
        "as a source wrote it.",
        "کسی که بی‌نام منتشر می‌شود تنها با سن، جنس، شهر و استان (اگر روی نقشه "
        "باشد)، تاریخ مرگ، ناحیه جراحت و نیروی متهم توصیف می‌شود: هرگز با کد "
        "ملی، تاریخ تولد یا متنی به همان شکلی که منبعی نوشته است.",
    ),
    "policy_figures": (
        "The report's figures count the persons of the grades listed above "
        "(whatever their consent, never a discounted person) by their age band, "
        "sex, city and province on the map, date of death, body region and "
        "alleged force; never by text as a source wrote it. A place with fewer "
        "than {n} persons is not named, and a count below {n} reads \u201cfewer "
        "than {n}\u201d.",
        "ارقام گزارش افرادِ درجه‌های بالا را (با هر رضایتی، و هرگز کسی را که "
        "کنار گذاشته شده) بر پایه گروه سنی، جنس، شهر و استانِ روی نقشه، تاریخ "
        "مرگ، ناحیه جراحت و نیروی متهم می‌شمارند؛ هرگز بر پایه متنی که منبعی "
        "نوشته است. جایی با کمتر از {n} نفر نام برده نمی‌شود و شماری کمتر از {n} "
        "به صورت «کمتر از {n}» می‌آید.",
    ),
    "list_sep": (", ", "، "),
    # Open data.
    "data_title": ("Open data", "داده‌های باز"),
    "data_text": (
        "The published fields only, for researchers and UN mechanisms. Each file "
        "belongs to the release shown below.",
        "تنها فیلدهای منتشرشده، برای پژوهشگران و سازوکارهای سازمان ملل. هر پرونده "
        "به انتشاری که در پایین آمده تعلق دارد.",
    ),
    "download_csv": ("{listed} persons, one row each", "{listed} نفر، هر نفر یک ردیف"),
    "download_json": ("the same persons as JSON", "همان افراد به صورت JSON"),
    "download_figures": (
        "headline figures, estimate, analysis tables, claims and releases",
        "ارقام اصلی، برآورد، جدول‌های تحلیل، ادعاها و انتشارها",
    ),
    "columns_title": ("Columns", "ستون‌ها"),
    "column": ("column", "ستون"),
    "meaning": ("meaning", "معنا"),
    "digest": ("content digest (SHA-256)", "چکیده محتوا (SHA-256)"),
    "audit_note": (
        "The digest identifies exactly what a release published. The documenting "
        "team keeps each release's audit head, which proves its figures are in "
        "the team's tamper-evident register.",
        "چکیده دقیقاً مشخص می‌کند هر انتشار چه چیزی منتشر کرده است. تیم مستندسازی "
        "سرِ زنجیره ممیزی هر انتشار را نگه می‌دارد که ثابت می‌کند ارقام آن در دفتر "
        "ضددستکاری تیم ثبت شده است.",
    ),
    "col_person_id": ("the entry's id (stable across releases)", "شناسه مدخل (پایدار)"),
    "col_name": ("name in Latin script", "نام به خط لاتین"),
    "col_name_fa": ("name in Persian script", "نام به خط فارسی"),
    "col_father_name": ("father's name, Latin script", "نام پدر، خط لاتین"),
    "col_father_name_fa": ("father's name, Persian script", "نام پدر، خط فارسی"),
    "col_name_transliterated": (
        "which script's name (latin or persian) is a transliteration, not a "
        "source's spelling",
        "خطی (لاتین یا فارسی) که نام در آن نویسه‌گردانی است، نه نوشته یک منبع",
    ),
    "col_father_name_transliterated": (
        "which script's father's name is a transliteration",
        "نام پدر در کدام خط نویسه‌گردانی است",
    ),
    "col_age": ("age in years at death", "سن هنگام مرگ"),
    "col_birth_date": ("date of birth (ISO)", "تاریخ تولد (میلادی)"),
    "col_sex": ("female, male or other", "زن، مرد یا دیگر"),
    "col_city": ("city (English)", "شهر (انگلیسی)"),
    "col_city_fa": ("city (Persian)", "شهر (فارسی)"),
    "col_province": ("province (English)", "استان (انگلیسی)"),
    "col_province_fa": ("province (Persian)", "استان (فارسی)"),
    "col_date_of_death": ("date of death (ISO)", "تاریخ مرگ (میلادی)"),
    "col_date_of_death_jalali": (
        "date of death (Solar Hijri, YYYY/MM/DD)",
        "تاریخ مرگ (خورشیدی)",
    ),
    "col_cause": ("cause of death as written", "علت مرگ، همان‌گونه که نوشته شده"),
    "col_injury_location": ("body region hit", "ناحیه جراحت"),
    "col_alleged_force": (
        "alleged force: security_forces, police, irgc, basij, plainclothes, "
        "military, intelligence or other; several joined by ;",
        "نیروی متهم: security_forces، police، irgc، basij، plainclothes، "
        "military، intelligence یا other؛ چند نیرو با ; جدا می‌شوند",
    ),
    "col_occupation": ("occupation as written", "شغل، همان‌گونه که نوشته شده"),
    "col_identification": ("identification level", "سطح شناسایی"),
    "col_grade": ("verification grade", "درجه تأیید"),
    "col_national_id": ("national id", "کد ملی"),
    "col_named": ("whether the name is published", "آیا نام منتشر شده است"),
    "col_story": ("short story", "روایت کوتاه"),
}

_UNKNOWN = ("unknown", "نامعلوم")

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "grade": {
        "confirmed": ("confirmed", "تأییدشده"),
        "corroborated": ("corroborated", "پشتیبانی‌شده"),
        "single-source": ("single-source", "تک‌منبعی"),
        "contested": ("contested", "مورد مناقشه"),
        "discounted": ("discounted", "کنارگذاشته"),
    },
    "level": {
        "full_name": ("full name", "نام کامل"),
        "partial_name": ("partial name", "نام ناقص"),
        "descriptors_only": ("descriptors only", "فقط مشخصات"),
        "unidentified": ("unidentified", "شناسایی‌نشده"),
    },
    "sex": {
        "female": ("female", "زن"),
        "male": ("male", "مرد"),
        "other": ("other", "دیگر"),
        "unknown": _UNKNOWN,
    },
    "injury": {
        "head": ("head", "سر"),
        "neck": ("neck", "گردن"),
        "chest": ("chest", "سینه"),
        "torso": ("torso", "تنه"),
        "abdomen": ("abdomen", "شکم"),
        "back": ("back", "پشت"),
        "arms": ("arms", "دست‌ها"),
        "legs": ("legs", "پاها"),
        "multiple": ("several places", "چند نقطه"),
        "other": ("other", "دیگر"),
        "unrecognized": ("not recognised", "نامشخص"),
        "unknown": _UNKNOWN,
    },
    "consent": {
        "public": ("published with name", "با نام"),
        "public-without-name": (
            'without name ("name unknown")',
            "بی‌نام («نام نامعلوم»)",
        ),
        "withheld": ("not published", "منتشرنشده"),
    },
    "claim_kind": {
        "official": ("official", "رسمی"),
        "verified count": ("verified count", "شمارش تأییدشده"),
        "estimate": ("estimate", "برآورد"),
        "opposition count": ("opposition count", "شمارش اپوزیسیون"),
        "media report": ("media report", "گزارش رسانه‌ای"),
        "statement": ("statement", "بیانیه"),
    },
    "force": {
        "security_forces": ("security forces", "نیروهای امنیتی"),
        "police": ("police", "نیروی انتظامی"),
        "irgc": ("IRGC", "سپاه پاسداران"),
        "basij": ("Basij", "بسیج"),
        "plainclothes": ("plainclothes", "لباس‌شخصی‌ها"),
        "military": ("army", "ارتش"),
        "intelligence": ("intelligence services", "نهادهای اطلاعاتی"),
        "other": ("other", "دیگر"),
        "unrecognized": ("not recognised", "نامشخص"),
        "not recorded": ("not recorded", "ثبت نشده"),
        "unknown": _UNKNOWN,
    },
    "age-band": {"unknown": _UNKNOWN},
    "place": {"unknown": _UNKNOWN, "other": ("other places", "جاهای دیگر")},
}
