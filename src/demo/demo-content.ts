/**
 * Demo content for an empty database, so a newcomer has something to browse through the API.
 *
 * Everything here is fictional and written for this project: the city of Верхнереченск, the people
 * quoted, the agencies and photographers in the credits do not exist. The news is deliberately
 * neutral and everyday. The photos are drawn in code (demo-pictures.ts) and the narrations are
 * synthesised speech of the articles' own text (assets/, made by scripts/make-demo-narration.ts);
 * both are uploaded like any file, so they get real URLs and renditions.
 *
 * Rules the loader and the tests rely on:
 * - every slug equals `slugify()` of its title or name;
 * - every key point is copied verbatim from a paragraph block of the same article;
 * - every media key, rubric, tag and author slug referenced is declared here;
 * - `publishedHoursAgo: null` marks a draft.
 */

export type DemoBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string; level: 2 | 3 }
  | { type: 'quote'; text: string; attribution?: string }
  | { type: 'image'; mediaKey: string; caption?: string }
  | { type: 'embed'; url: string; provider?: string; caption?: string }
  | { type: 'list'; style: 'bulleted' | 'numbered'; items: string[] };

export interface DemoRubric {
  name: string;
  slug: string;
  description: string;
  position: number;
  parentSlug?: string;
}

export interface DemoAuthor {
  displayName: string;
  slug: string;
  email: string;
  bio: string;
  role: 'editor' | 'author';
}

export interface DemoMedia {
  key: string;
  kind: 'image' | 'audio';
  /** Audio: its file in src/demo/assets/. Images are drawn by demo-pictures.ts from their key. */
  file?: string;
  /** Audio: the file's length, which an upload does not measure (printed by scripts/make-demo-narration.ts). */
  durationSeconds?: number;
  caption?: string;
  altText?: string;
  credit?: string;
  source?: string;
}

export interface DemoTag {
  name: string;
  slug: string;
}

export interface DemoArticle {
  title: string;
  slug: string;
  lead: string;
  rubricSlug: string;
  tagSlugs: string[];
  authorSlugs: string[];
  coverMediaKey?: string;
  narrationMediaKey?: string;
  body: DemoBlock[];
  keyPoints: string[];
  seoTitle?: string;
  seoDescription?: string;
  publishedHoursAgo: number | null;
  showInFeed?: boolean;
}

export interface DemoFeedExtra {
  kind: 'live' | 'link' | 'promo';
  headline: string;
  rubricSlug?: string;
  url: string;
  isPinned: boolean;
  hoursAgo: number;
  /** A promo's advertising marking (38-FZ): a made-up erid and advertiser, with a made-up INN whose check digit is right. */
  adMarking?: { erid: string; advertiserName: string; advertiserInn: string };
}

// ---------------------------------------------------------------------------------------------
// Rubrics
// ---------------------------------------------------------------------------------------------

export const demoRubrics: DemoRubric[] = [
  { name: 'Мир', slug: 'mir', description: 'Новости других стран: наука, погода, транспорт и необычные события.', position: 1 },
  {
    name: 'Общество',
    slug: 'obshchestvo',
    description: 'Городская жизнь, транспорт, погода, образование и услуги для жителей.',
    position: 2,
  },
  { name: 'Спорт', slug: 'sport', description: 'Соревнования, любительский и детский спорт, результаты и анонсы.', position: 3 },
  {
    name: 'Футбол',
    slug: 'futbol',
    description: 'Городские и областные турниры, юношеские команды и любительские лиги.',
    position: 1,
    parentSlug: 'sport',
  },
  {
    name: 'Происшествия',
    slug: 'proisshestviya',
    description: 'Пожары, аварии на дорогах и в городском хозяйстве, работа экстренных служб.',
    position: 4,
  },
  { name: 'Наука', slug: 'nauka', description: 'Исследования учёных и студентов, космос, природа и технологии.', position: 5 },
  { name: 'Культура', slug: 'kultura', description: 'Театры, музеи, выставки, концерты и книги.', position: 6 },
];

// ---------------------------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------------------------

export const demoAuthors: DemoAuthor[] = [
  {
    displayName: 'Марина Клёнова',
    slug: 'marina-klenova',
    email: 'marina.klenova@demo.newsroom.example',
    bio: 'Выпускающий редактор. Пятнадцать лет в городских новостях, отвечает за ленту и утренние выпуски.',
    role: 'editor',
  },
  {
    displayName: 'Денис Орехов',
    slug: 'denis-orekhov',
    email: 'denis.orekhov@demo.newsroom.example',
    bio: 'Корреспондент отдела «Общество». Пишет о транспорте, городском хозяйстве и спорте.',
    role: 'author',
  },
  {
    displayName: 'Ольга Ветлугина',
    slug: 'olga-vetlugina',
    email: 'olga.vetlugina@demo.newsroom.example',
    bio: 'Научный обозреватель. Биолог по образованию, пишет о природе, космосе и университетских исследованиях.',
    role: 'author',
  },
];

// ---------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------

export const demoMedia: DemoMedia[] = [
  {
    key: 'elektrobus',
    kind: 'image',
    caption: 'Электробус на конечной остановке у вокзала',
    altText: 'Белый электробус с зелёной полосой стоит у остановки, пассажиры заходят в переднюю дверь',
    credit: 'Городские новости/Анна Смирнова',
    source: 'Городские новости',
  },
  {
    key: 'oblaka',
    kind: 'image',
    caption: 'Ясное небо над городом',
    altText: 'Редкие белые облака над крышами жилых домов',
    credit: 'Городские новости/Анна Смирнова',
    source: 'Городские новости',
  },
  {
    key: 'naberezhnaya',
    kind: 'image',
    caption: 'Участок набережной, где пройдёт велосипедная дорожка',
    altText: 'Пешеходная набережная с фонарями и скамейками вдоль реки',
    credit: 'Северный фотоцентр/Илья Горбунов',
    source: 'Северный фотоцентр',
  },
  {
    key: 'futbol-yunoshi',
    kind: 'image',
    caption: 'Игроки «Речника» после полуфинала',
    altText: 'Юные футболисты в синей форме обнимаются на поле после матча',
    credit: 'Северный фотоцентр/Илья Горбунов',
    source: 'Северный фотоцентр',
  },
  {
    key: 'polumarafon',
    kind: 'image',
    caption: 'Старт прошлогоднего забега',
    altText: 'Толпа бегунов в ярких футболках на старте на широкой улице',
    credit: 'Городские новости/Тимур Баранов',
    source: 'Городские новости',
  },
  {
    key: 'sklad-dym',
    kind: 'image',
    caption: 'Дым над промышленной зоной, вид с объездной дороги',
    altText: 'Столб серого дыма над низкими складскими зданиями вдалеке',
    credit: 'Читатель «Городских новостей»',
    source: 'Городские новости',
  },
  {
    key: 'tramvay',
    kind: 'image',
    caption: 'Трамваи на Заводской улице',
    altText: 'Несколько красно-белых трамваев стоят друг за другом на улице',
    credit: 'Городские новости/Тимур Баранов',
    source: 'Городские новости',
  },
  {
    key: 'kubsat',
    kind: 'image',
    caption: 'Кубсат во время испытаний в лаборатории',
    altText: 'Небольшой кубический аппарат с солнечными панелями на лабораторном столе',
    credit: 'Пресс-служба технического университета',
    source: 'Технический университет',
  },
  {
    key: 'zhuravli',
    kind: 'image',
    caption: 'Пара серых журавлей на болоте',
    altText: 'Два серых журавля стоят в мелкой воде среди осоки',
    credit: 'Северный фотоцентр/Вера Лукина',
    source: 'Северный фотоцентр',
  },
  {
    key: 'teatr-repetitsiya',
    kind: 'image',
    caption: 'Репетиция премьерного спектакля',
    altText: 'Актёры в костюмах XIX века на сцене среди декораций из шестерёнок и труб',
    credit: 'Городские новости/Анна Смирнова',
    source: 'Городские новости',
  },
  {
    key: 'muzey-chasy',
    kind: 'image',
    caption: 'Настенные часы с боем из новой коллекции музея',
    altText: 'Деревянные настенные часы с маятником и римскими цифрами на циферблате',
    credit: 'Пресс-служба краеведческого музея',
    source: 'Краеведческий музей',
  },
  {
    key: 'alpy-meteostantsiya',
    kind: 'image',
    caption: 'Метеостанция на скальном гребне',
    altText: 'Мачта с датчиками и вертикальными солнечными панелями на заснеженной скале',
    credit: 'Альпийское фотобюро/Йонас Фогель',
    source: 'Альпийское фотобюро',
  },
  {
    key: 'narration-elektrobus',
    kind: 'audio',
    file: 'narration-elektrobus.mp3',
    durationSeconds: 58.9,
    caption: 'Аудиоверсия статьи об электробусе',
    credit: 'Синтезированный голос (espeak-ng)',
    source: 'Городские новости',
  },
  {
    key: 'narration-kubsat',
    kind: 'audio',
    file: 'narration-kubsat.mp3',
    durationSeconds: 60,
    caption: 'Аудиоверсия статьи о студенческом спутнике',
    credit: 'Синтезированный голос (espeak-ng)',
    source: 'Городские новости',
  },
];

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

export const demoTags: DemoTag[] = [
  { name: 'Погода', slug: 'pogoda' },
  { name: 'Транспорт', slug: 'transport' },
  { name: 'Городская среда', slug: 'gorodskaya-sreda' },
  { name: 'Технологии', slug: 'tekhnologii' },
  { name: 'Космос', slug: 'kosmos' },
  { name: 'Экология', slug: 'ekologiya' },
  { name: 'Театр', slug: 'teatr' },
  { name: 'Музеи', slug: 'muzei' },
  { name: 'Образование', slug: 'obrazovanie' },
  { name: 'Детский спорт', slug: 'detskiy-sport' },
];

// ---------------------------------------------------------------------------------------------
// Articles: 12 published, 2 drafts
// ---------------------------------------------------------------------------------------------

export const demoArticles: DemoArticle[] = [
  {
    title: 'В Верхнереченске запустили первый электробус на кольцевом маршруте',
    slug: 'v-verkhnerechenske-zapustili-pervyy-elektrobus-na-koltsevom-marshrute',
    lead:
      'Новый электробус вышел на линию № 12 и за первый день перевёз около девятисот пассажиров. ' +
      'До конца года на маршрут обещают выпустить ещё пять таких машин.',
    rubricSlug: 'obshchestvo',
    tagSlugs: ['transport', 'ekologiya', 'gorodskaya-sreda'],
    authorSlugs: ['denis-orekhov'],
    coverMediaKey: 'elektrobus',
    narrationMediaKey: 'narration-elektrobus',
    body: [
      {
        type: 'paragraph',
        text:
          'Электробус начал работу в семь утра от конечной остановки у железнодорожного вокзала. ' +
          'Полный круг по маршруту занимает около пятидесяти минут, интервал движения в часы пик — двенадцать минут.',
      },
      {
        type: 'paragraph',
        text:
          'Машина рассчитана на 85 пассажиров, в салоне низкий пол, площадка для колясок и розетки для зарядки телефонов. ' +
          'На конечной станции электробус заряжается за двадцать минут, одного заряда хватает на два полных круга.',
      },
      {
        type: 'quote',
        text: 'Мы начали с кольцевого маршрута, потому что на нём нет длинных загородных участков и проще всего отработать график зарядки.',
        attribution: 'Сергей Лаптев, главный инженер городского транспортного предприятия',
      },
      {
        type: 'list',
        style: 'bulleted',
        items: [
          'Оплата проезда картой или телефоном у каждой двери',
          'Табло с названием следующей остановки',
          'Кондиционер летом и подогрев пола зимой',
        ],
      },
      {
        type: 'paragraph',
        text:
          'Стоимость проезда не изменилась. Отзывы о работе маршрута транспортное предприятие собирает на своём сайте и по телефону ' +
          'справочной службы до конца месяца.',
      },
    ],
    keyPoints: ['Машина рассчитана на 85 пассажиров', 'одного заряда хватает на два полных круга', 'Стоимость проезда не изменилась.'],
    seoTitle: 'Первый электробус вышел на кольцевой маршрут № 12',
    seoDescription: 'Как работает новый электробус: маршрут, интервалы, зарядка и удобства для пассажиров.',
    publishedHoursAgo: 2,
  },
  {
    title: 'Синоптики пообещали тёплые выходные без осадков',
    slug: 'sinoptiki-poobeshchali-teplye-vykhodnye-bez-osadkov',
    lead:
      'В субботу и воскресенье днём воздух прогреется до +22 градусов, ночи останутся прохладными. ' +
      'Дожди вернутся только в начале следующей недели.',
    rubricSlug: 'obshchestvo',
    tagSlugs: ['pogoda'],
    authorSlugs: ['marina-klenova'],
    coverMediaKey: 'oblaka',
    body: [
      {
        type: 'paragraph',
        text:
          'Погоду в регионе в ближайшие дни будет определять область высокого давления, которая смещается с юго-запада. ' +
          'Облачность ожидается небольшая, ветер слабый, три-пять метров в секунду.',
      },
      { type: 'heading', text: 'Прогноз по дням', level: 2 },
      {
        type: 'list',
        style: 'bulleted',
        items: [
          'Пятница: днём +17…+19, переменная облачность',
          'Суббота: днём +20…+22, ясно',
          'Воскресенье: днём +19…+21, к вечеру облачность увеличится',
        ],
      },
      {
        type: 'quote',
        text:
          'Такие выходные в середине весны бывают не каждый год, но ночью температура ещё опускается до +5, так что тёплую одежду ' +
          'убирать рано.',
        attribution: 'Ирина Полозова, ведущий специалист регионального гидрометцентра',
      },
      {
        type: 'paragraph',
        text:
          'Синоптики напоминают, что в сухую ясную погоду в лесах растёт пожарная опасность. ' +
          'Разводить костры можно только в специально оборудованных местах.',
      },
    ],
    keyPoints: [
      'область высокого давления, которая смещается с юго-запада',
      'Разводить костры можно только в специально оборудованных местах.',
    ],
    publishedHoursAgo: 5,
  },
  {
    title: 'Вдоль набережной проложат новую велосипедную дорожку',
    slug: 'vdol-naberezhnoy-prolozhat-novuyu-velosipednuyu-dorozhku',
    lead:
      'Дорожка длиной 4,5 километра соединит городской парк с лодочной станцией. ' +
      'Работы начнутся в июне и должны закончиться к концу лета.',
    rubricSlug: 'obshchestvo',
    tagSlugs: ['gorodskaya-sreda', 'transport'],
    authorSlugs: ['denis-orekhov'],
    coverMediaKey: 'naberezhnaya',
    body: [
      {
        type: 'paragraph',
        text:
          'Проект подготовили после опроса жителей: почти две трети участников назвали набережную самым удобным местом для прогулок на ' +
          'велосипеде. Сейчас велосипедисты и пешеходы делят здесь одну узкую полосу.',
      },
      { type: 'image', mediaKey: 'naberezhnaya', caption: 'Участок набережной, где пройдёт дорожка' },
      { type: 'heading', text: 'Как будут строить', level: 3 },
      {
        type: 'list',
        style: 'numbered',
        items: [
          'Разметка трассы и перенос скамеек',
          'Укладка покрытия и установка освещения',
          'Монтаж велопарковок у входа в парк и у лодочной станции',
        ],
      },
      {
        type: 'paragraph',
        text:
          'Дорожку отделят от пешеходной зоны газоном шириной около метра. Вдоль трассы поставят фонари и пять велопарковок, а в двух ' +
          'местах сделают пологие спуски к воде.',
      },
    ],
    keyPoints: [
      'почти две трети участников назвали набережную самым удобным местом для прогулок на велосипеде',
      'Дорожку отделят от пешеходной зоны газоном шириной около метра.',
    ],
    publishedHoursAgo: 20,
  },
  {
    title: 'Юношеская команда «Речник» вышла в финал областного кубка',
    slug: 'yunosheskaya-komanda-rechnik-vyshla-v-final-oblastnogo-kubka',
    lead: 'В полуфинале футболисты до 16 лет выиграли со счётом 3:1. Финал пройдёт в следующую субботу на городском стадионе.',
    rubricSlug: 'futbol',
    tagSlugs: ['detskiy-sport'],
    authorSlugs: ['denis-orekhov'],
    coverMediaKey: 'futbol-yunoshi',
    body: [
      {
        type: 'paragraph',
        text:
          'Первый тайм закончился вничью 1:1, а после перерыва «Речник» забил дважды за десять минут. ' +
          'Оба гола команда провела после стандартных положений.',
      },
      {
        type: 'embed',
        url: 'https://video.example/watch/rechnik-semifinal-highlights',
        provider: 'video.example',
        caption: 'Обзор полуфинального матча',
      },
      {
        type: 'quote',
        text: 'Ребята весь сезон отрабатывали угловые, и сегодня это сработало. В финале будет тяжелее, но мы готовы.',
        attribution: 'Андрей Костылев, главный тренер команды «Речник»',
      },
      { type: 'image', mediaKey: 'futbol-yunoshi', caption: 'Игроки «Речника» после финального свистка' },
      {
        type: 'paragraph',
        text:
          'Вход на финальный матч будет свободным. Организаторы просят болельщиков приходить заранее: трибуны стадиона вмещают около ' +
          'двух тысяч зрителей.',
      },
    ],
    keyPoints: ['после перерыва «Речник» забил дважды за десять минут', 'Вход на финальный матч будет свободным.'],
    publishedHoursAgo: 8,
  },
  {
    title: 'Городской полумарафон соберёт рекордные полторы тысячи участников',
    slug: 'gorodskoy-polumarafon-soberet-rekordnye-poltory-tysyachi-uchastnikov',
    lead: 'Регистрация на забег закрылась раньше срока. В день старта в центре города перекроют несколько улиц.',
    rubricSlug: 'sport',
    tagSlugs: ['gorodskaya-sreda', 'transport'],
    authorSlugs: ['denis-orekhov', 'marina-klenova'],
    coverMediaKey: 'polumarafon',
    body: [
      {
        type: 'paragraph',
        text:
          'Участникам предстоит пробежать 21,1 километра по кольцу через центр и набережную. ' +
          'Для тех, кто только начинает бегать, организаторы подготовили дистанции на пять и десять километров.',
      },
      { type: 'heading', text: 'Какие улицы перекроют', level: 2 },
      {
        type: 'list',
        style: 'bulleted',
        items: ['Набережная — с 7:00 до 13:00', 'Садовая улица — с 8:00 до 12:00', 'Проспект Строителей — с 8:30 до 11:30'],
      },
      {
        type: 'paragraph',
        text:
          'На время забега изменятся маршруты трёх автобусов и одного троллейбуса. ' +
          'Схемы объезда транспортное предприятие опубликует за день до старта.',
      },
      {
        type: 'quote',
        text:
          'Два года назад на старт вышли шестьсот человек, теперь участников в два с половиной раза больше. ' +
          'Для нас это главный признак того, что бег в городе стал по-настоящему массовым.',
        attribution: 'Наталья Гречко, директор забега',
      },
    ],
    keyPoints: [
      'Участникам предстоит пробежать 21,1 километра по кольцу через центр и набережную.',
      'изменятся маршруты трёх автобусов и одного троллейбуса',
    ],
    seoTitle: 'Полумарафон: дистанции, перекрытия улиц и изменения в транспорте',
    seoDescription: 'Полторы тысячи бегунов выйдут на старт городского полумарафона. Какие улицы перекроют и как изменятся маршруты.',
    publishedHoursAgo: 30,
  },
  {
    title: 'На складе в промзоне загорелась упаковочная тара, пострадавших нет',
    slug: 'na-sklade-v-promzone-zagorelas-upakovochnaya-tara-postradavshikh-net',
    lead: 'Пожар на площади около 200 квадратных метров потушили за полтора часа. Дым был виден из нескольких районов города.',
    rubricSlug: 'proisshestviya',
    tagSlugs: ['ekologiya'],
    authorSlugs: ['marina-klenova'],
    coverMediaKey: 'sklad-dym',
    body: [
      {
        type: 'paragraph',
        text:
          'Сообщение о возгорании поступило диспетчерам около шести часов утра. На место выехали пять расчётов, сотрудников склада ' +
          'эвакуировали до их прибытия.',
      },
      { type: 'image', mediaKey: 'sklad-dym', caption: 'Дым над промышленной зоной, вид с объездной дороги' },
      {
        type: 'quote',
        text:
          'Огонь не перекинулся на соседние здания. Причину пожара установят специалисты, предварительная версия — неисправность ' +
          'электропроводки.',
        attribution: 'Пресс-служба городского управления пожарной охраны',
      },
      {
        type: 'paragraph',
        text:
          'Жителям ближайших кварталов в первые часы советовали держать окна закрытыми. ' +
          'К полудню, по данным экологов, качество воздуха вернулось к обычным значениям.',
      },
    ],
    keyPoints: [
      'сотрудников склада эвакуировали до их прибытия',
      'К полудню, по данным экологов, качество воздуха вернулось к обычным значениям.',
    ],
    publishedHoursAgo: 3,
  },
  {
    title: 'Из-за обрыва провода на трамвайной линии задержались шесть маршрутов',
    slug: 'iz-za-obryva-provoda-na-tramvaynoy-linii-zaderzhalis-shest-marshrutov',
    lead: 'Движение трамваев по Заводской улице было остановлено почти на час. Пассажиров перевозили дополнительные автобусы.',
    rubricSlug: 'proisshestviya',
    tagSlugs: ['transport'],
    authorSlugs: ['denis-orekhov'],
    coverMediaKey: 'tramvay',
    body: [
      {
        type: 'paragraph',
        text:
          'Контактный провод оборвался около восьми утра, в самый час пик. Никто не пострадал: вагон успел остановиться, и пассажиры ' +
          'спокойно вышли через передние двери.',
      },
      {
        type: 'paragraph',
        text:
          'Аварийная бригада восстановила линию к девяти часам. Пока шёл ремонт, на участок вывели восемь дополнительных автобусов, ' +
          'проезд в них был бесплатным.',
      },
      {
        type: 'list',
        style: 'bulleted',
        items: ['Маршруты 3, 5 и 7 — задержки до 50 минут', 'Маршруты 1, 9 и 11 — задержки до 20 минут'],
      },
      {
        type: 'paragraph',
        text:
          'В транспортном предприятии сообщили, что провод на этом участке и так собирались заменить летом, во время плановой ' +
          'реконструкции линии.',
      },
    ],
    keyPoints: ['Аварийная бригада восстановила линию к девяти часам.', 'проезд в них был бесплатным'],
    publishedHoursAgo: 1,
  },
  {
    title: 'Студенты собрали спутник-кубсат для наблюдения за ледовым покровом',
    slug: 'studenty-sobrali-sputnik-kubsat-dlya-nablyudeniya-za-ledovym-pokrovom',
    lead:
      'Аппарат размером с обувную коробку будет фотографировать реки и озёра и следить за тем, как сходит лёд. ' +
      'Запуск намечен на осень.',
    rubricSlug: 'nauka',
    tagSlugs: ['kosmos', 'obrazovanie', 'tekhnologii'],
    authorSlugs: ['olga-vetlugina'],
    coverMediaKey: 'kubsat',
    narrationMediaKey: 'narration-kubsat',
    body: [
      {
        type: 'paragraph',
        text:
          'Над спутником два года работала команда из двенадцати студентов технического университета. ' +
          'Корпус, солнечные панели и систему ориентации они спроектировали сами, а камеру собрали из готовых модулей.',
      },
      { type: 'heading', text: 'Что умеет аппарат', level: 2 },
      {
        type: 'list',
        style: 'bulleted',
        items: [
          'Снимать поверхность Земли с разрешением около 30 метров',
          'Передавать снимки на университетскую станцию дважды в сутки',
          'Работать на орбите не меньше двух лет',
        ],
      },
      { type: 'image', mediaKey: 'kubsat', caption: 'Кубсат во время испытаний в лаборатории' },
      {
        type: 'quote',
        text:
          'Все снимки мы будем выкладывать в открытый доступ, чтобы ими могли пользоваться школьники, гидрологи и все, кому интересно, ' +
          'как меняются реки весной.',
        attribution: 'Ксения Лобанова, руководитель студенческого конструкторского бюро',
      },
      {
        type: 'paragraph',
        text:
          'Перед отправкой на космодром кубсат пройдёт испытания на вибрацию и перепады температуры. ' +
          'Если всё пройдёт успешно, университет соберёт второй аппарат — для наблюдения за лесами.',
      },
    ],
    keyPoints: [
      'Над спутником два года работала команда из двенадцати студентов технического университета.',
      'кубсат пройдёт испытания на вибрацию и перепады температуры',
    ],
    seoTitle: 'Студенческий кубсат будет следить за льдом на реках',
    publishedHoursAgo: 26,
  },
  {
    title: 'Биологи насчитали в заповеднике вдвое больше гнёзд серых журавлей',
    slug: 'biologi-naschitali-v-zapovednike-vdvoe-bolshe-gnezd-serykh-zhuravley',
    lead: 'Весенний учёт показал 46 гнездящихся пар против 23 пять лет назад. Учёные связывают рост с восстановлением осушенных болот.',
    rubricSlug: 'nauka',
    tagSlugs: ['ekologiya'],
    authorSlugs: ['olga-vetlugina', 'denis-orekhov'],
    coverMediaKey: 'zhuravli',
    body: [
      {
        type: 'paragraph',
        text:
          'Учёт проводили с помощью дронов с тепловизорами, чтобы не тревожить птиц в период гнездования. ' +
          'Каждую найденную пару затем подтверждали наблюдатели на земле.',
      },
      {
        type: 'paragraph',
        text:
          'Десять лет назад в заповеднике начали перекрывать старые мелиоративные канавы, и часть болот снова заполнилась водой. ' +
          'Именно на этих участках теперь гнездится большинство журавлей.',
      },
      { type: 'image', mediaKey: 'zhuravli', caption: 'Пара серых журавлей на восстановленном болоте' },
      {
        type: 'quote',
        text:
          'Журавлю нужен большой спокойный участок с водой вокруг гнезда. Когда болото возвращается, птицы приходят сами, их не нужно ' +
          'специально привлекать.',
        attribution: 'Павел Ермаков, старший научный сотрудник заповедника',
      },
      {
        type: 'paragraph',
        text:
          'Результаты учёта войдут в ежегодную летопись природы заповедника. Осенью биологи планируют пересчитать журавлей на ' +
          'предотлётных скоплениях.',
      },
    ],
    keyPoints: [
      'Учёт проводили с помощью дронов с тепловизорами, чтобы не тревожить птиц в период гнездования.',
      'часть болот снова заполнилась водой',
    ],
    publishedHoursAgo: 50,
  },
  {
    title: 'Драмтеатр покажет премьеру по забытой пьесе XIX века',
    slug: 'dramteatr-pokazhet-premeru-po-zabytoy-pese-xix-veka',
    lead: 'Комедию, которую не ставили больше ста лет, режиссёр нашёл в архиве областной библиотеки. Первые показы пройдут в конце месяца.',
    rubricSlug: 'kultura',
    tagSlugs: ['teatr'],
    authorSlugs: ['marina-klenova'],
    coverMediaKey: 'teatr-repetitsiya',
    body: [
      {
        type: 'paragraph',
        text:
          'Рукопись пьесы хранилась в фонде старинных книг вместе с письмами её автора, провинциального учителя словесности. ' +
          'Текст пришлось восстанавливать по двум вариантам, которые заметно расходятся в финале.',
      },
      { type: 'heading', text: 'Старый сюжет на новой сцене', level: 2 },
      {
        type: 'paragraph',
        text:
          'Действие происходит в уездном городке, куда приезжает столичный изобретатель с проектом парового омнибуса. ' +
          'Художник спектакля построил декорации из деталей настоящих механизмов, собранных на городских предприятиях.',
      },
      {
        type: 'quote',
        text: 'Нам было важно не осовременивать текст. Смешное в нём работает и сейчас, нужно только ему не мешать.',
        attribution: 'Глеб Савинов, режиссёр спектакля',
      },
      { type: 'image', mediaKey: 'teatr-repetitsiya', caption: 'На репетиции премьерного спектакля' },
      {
        type: 'paragraph',
        text:
          'Билеты на первые четыре показа уже в продаже. Для студентов театрального училища театр оставил бесплатные места на ' +
          'генеральном прогоне.',
      },
    ],
    keyPoints: ['Рукопись пьесы хранилась в фонде старинных книг', 'декорации из деталей настоящих механизмов'],
    publishedHoursAgo: 12,
  },
  {
    title: 'Краеведческий музей покажет коллекцию старинных часов',
    slug: 'kraevedcheskiy-muzey-pokazhet-kollektsiyu-starinnykh-chasov',
    lead: 'На выставке будет больше 120 предметов — от карманных часов до башенного механизма. Многие из них публике ещё не показывали.',
    rubricSlug: 'kultura',
    tagSlugs: ['muzei'],
    authorSlugs: ['olga-vetlugina'],
    coverMediaKey: 'muzey-chasy',
    body: [
      {
        type: 'paragraph',
        text:
          'Основу коллекции составил дар местного часовщика, который больше сорока лет собирал и чинил старые механизмы. ' +
          'Уходя на пенсию, он передал музею часы вместе с инструментами своей мастерской.',
      },
      { type: 'image', mediaKey: 'muzey-chasy', caption: 'Настенные часы с боем из новой коллекции' },
      {
        type: 'list',
        style: 'bulleted',
        items: [
          'Карманные часы XVIII–XX веков',
          'Настенные часы с боем',
          'Механизм башенных часов старой пожарной каланчи',
          'Инструменты часовой мастерской',
        ],
      },
      {
        type: 'quote',
        text: 'Часы невозможно понять за стеклом витрины, их нужно слышать.',
        attribution: 'Елена Тарасова, куратор выставки',
      },
      {
        type: 'paragraph',
        text:
          'Раз в неделю реставраторы будут заводить часы с боем, и посетители смогут услышать, как они звучат. ' +
          'Расписание таких показов опубликуют на сайте музея.',
      },
    ],
    keyPoints: ['Раз в неделю реставраторы будут заводить часы с боем'],
    publishedHoursAgo: 72,
    showInFeed: false,
  },
  {
    title: 'В Альпах заработала метеостанция на солнечных батареях',
    slug: 'v-alpakh-zarabotala-meteostantsiya-na-solnechnykh-batareyakh',
    lead:
      'Станция на высоте 3100 метров каждые десять минут передаёт данные о ветре, температуре и снежном покрове. ' +
      'Ей не нужны ни генератор, ни линия электропередачи.',
    rubricSlug: 'mir',
    tagSlugs: ['pogoda', 'tekhnologii', 'ekologiya'],
    authorSlugs: ['olga-vetlugina'],
    coverMediaKey: 'alpy-meteostantsiya',
    body: [
      {
        type: 'paragraph',
        text:
          'Автоматическую станцию установили на скальном гребне рядом с горным приютом. ' +
          'Зимой её обслуживают раз в три месяца, добираясь на лыжах, а всё остальное время она работает без людей.',
      },
      {
        type: 'paragraph',
        text:
          'Солнечные панели закреплены почти вертикально, чтобы на них не задерживался снег. ' +
          'Энергии аккумуляторов хватает на две недели пасмурной погоды.',
      },
      { type: 'image', mediaKey: 'alpy-meteostantsiya', caption: 'Мачта с датчиками на высоте 3100 метров' },
      {
        type: 'quote',
        text:
          'Данные с такой высоты нужны и для прогноза погоды, и для оценки лавинной опасности. ' +
          'Чем больше станций в горах, тем точнее предупреждения для туристов.',
        attribution: 'Лукас Майер, инженер горной метеослужбы',
      },
      {
        type: 'paragraph',
        text: 'Показания станции публикуются в открытом доступе, ими уже пользуются горные спасатели и лыжные курорты соседних долин.',
      },
    ],
    keyPoints: ['Энергии аккумуляторов хватает на две недели пасмурной погоды.', 'ими уже пользуются горные спасатели'],
    publishedHoursAgo: 96,
  },
  // Drafts
  {
    title: 'Библиотеки продлят часы работы на время сессии',
    slug: 'biblioteki-prodlyat-chasy-raboty-na-vremya-sessii',
    lead: 'С 1 июня три городские библиотеки будут открыты до 23:00. В читальных залах добавят розетки и места для групповой работы.',
    rubricSlug: 'obshchestvo',
    tagSlugs: ['obrazovanie'],
    authorSlugs: ['denis-orekhov'],
    body: [
      {
        type: 'paragraph',
        text:
          'Решение приняли после того, как в прошлом году студенты жаловались на нехватку тихих мест для подготовки к экзаменам. ' +
          'Продлённый график будет действовать до конца июня.',
      },
      {
        type: 'list',
        style: 'bulleted',
        items: ['Центральная городская библиотека', 'Библиотека на Речной улице', 'Молодёжная библиотека в Северном районе'],
      },
      {
        type: 'paragraph',
        text:
          'Вход по читательскому билету, оформить его можно на месте за несколько минут. ' +
          'Вечером в залах будет работать дежурный библиотекарь.',
      },
      { type: 'heading', text: 'Что ещё изменится', level: 3 },
      {
        type: 'paragraph',
        text: 'В молодёжной библиотеке откроют комнату для групповых занятий, которую можно забронировать на два часа.',
      },
    ],
    keyPoints: ['Продлённый график будет действовать до конца июня.'],
    publishedHoursAgo: null,
  },
  {
    title: 'Планетарий готовит ночь наблюдений метеорного потока Персеиды',
    slug: 'planetariy-gotovit-noch-nablyudeniy-meteornogo-potoka-perseidy',
    lead:
      'В ночь максимума потока сотрудники планетария проведут наблюдения за городом. ' +
      'Участникам расскажут, как снимать метеоры на телефон.',
    rubricSlug: 'nauka',
    tagSlugs: ['kosmos'],
    authorSlugs: ['olga-vetlugina'],
    body: [
      {
        type: 'paragraph',
        text:
          'Персеиды видны каждый год в августе, когда Земля проходит через облако частиц, оставленных кометой Свифта — Туттля. ' +
          'В пик активности при тёмном небе можно увидеть несколько десятков метеоров в час.',
      },
      {
        type: 'paragraph',
        text:
          'Наблюдения пройдут на поле у загородной обсерватории, куда от планетария пустят бесплатный автобус. ' +
          'Телескопы и шезлонги организаторы привезут с собой.',
      },
      {
        type: 'quote',
        text: 'Для метеоров телескоп не нужен, хватит тёмного неба и терпения. Главное — дать глазам минут двадцать привыкнуть к темноте.',
        attribution: 'Виктор Белоусов, научный сотрудник планетария',
      },
      { type: 'heading', text: 'Как снять метеор на телефон', level: 3 },
      {
        type: 'list',
        style: 'numbered',
        items: [
          'Выключите вспышку и включите ночной режим',
          'Поставьте телефон на штатив или другую устойчивую опору',
          'Снимайте серией с длинной выдержкой',
        ],
      },
    ],
    keyPoints: [
      'В пик активности при тёмном небе можно увидеть несколько десятков метеоров в час.',
      'от планетария пустят бесплатный автобус',
    ],
    publishedHoursAgo: null,
  },
];

// ---------------------------------------------------------------------------------------------
// Feed extras: items in the headline feed that are not articles
// ---------------------------------------------------------------------------------------------

export const demoFeedExtras: DemoFeedExtra[] = [
  {
    kind: 'live',
    headline: 'Прямой эфир: финал областного кубка по футболу среди юношей',
    rubricSlug: 'futbol',
    url: 'https://live.example/stream/rechnik-final.m3u8',
    isPinned: true,
    hoursAgo: 0,
  },
  {
    kind: 'link',
    headline: 'Расписание пригородных электричек на выходные',
    rubricSlug: 'obshchestvo',
    url: 'https://transport.example/suburban/timetable',
    isPinned: false,
    hoursAgo: 6,
  },
  {
    kind: 'promo',
    headline: 'Реклама: курсы фотографии для начинающих в городском доме культуры',
    url: 'https://ads.example/promo/photo-courses',
    isPinned: false,
    hoursAgo: 4,
    adMarking: { erid: 'DemoPhoto2026', advertiserName: 'МБУК «Городской дом культуры»', advertiserInn: '5029123452' },
  },
];
