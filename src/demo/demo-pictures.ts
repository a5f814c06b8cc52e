import sharp from 'sharp';

/**
 * The demo photos, drawn as flat illustrations of their captions (SVG rendered by sharp), so the demo
 * ships no image files of anyone's and still uploads real pictures that get renditions. The subject
 * of each scene sits near the middle, where the 1:1 and 16:9 crops keep it. No text in the pictures.
 */

const width = 1600;
const height = 900;

// Seeded, so a scene draws the same bytes every time: an upload of the same picture is recognised as one.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const svg = (defs: string, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
  `<defs>${defs}</defs>${body}</svg>`;

const gradient = (id: string, stops: string[], vertical = true) =>
  `<linearGradient id="${id}" x1="0" y1="0" x2="${vertical ? 0 : 1}" y2="${vertical ? 1 : 0}">${stops
    .map((color, i) => `<stop offset="${i / (stops.length - 1)}" stop-color="${color}"/>`)
    .join('')}</linearGradient>`;

const rect = (x: number, y: number, w: number, h: number, fill: string, extra = '') =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" ${extra}/>`;

const circle = (x: number, y: number, r: number, fill: string, extra = '') =>
  `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" ${extra}/>`;

const sky = () => rect(0, 0, width, height, 'url(#sky)');

function cloud(x: number, y: number, scale: number, opacity = 0.95): string {
  const puffs = [
    [0, 0, 60],
    [55, -25, 70],
    [120, -5, 58],
    [170, 12, 42],
    [-50, 15, 40],
    [60, 20, 55],
  ] as const;
  const shapes = puffs.map(([dx, dy, r]) => circle(x + dx * scale, y + dy * scale, r * scale, '#ffffff')).join('');
  return `<g fill="#ffffff" opacity="${opacity}">${shapes}</g>`;
}

/** A row of flat buildings with lit or dark windows along the ground line. */
function skyline(
  seed: number,
  ground: number,
  colors: string[],
  minH: number,
  maxH: number,
  windowColor: string,
  from = -20,
  to = width + 20,
): string {
  const next = random(seed);
  let x = from;
  let out = '';
  while (x < to) {
    const w = 90 + next() * 140;
    const h = minH + next() * (maxH - minH);
    const color = colors[Math.floor(next() * colors.length)]!;
    out += rect(x, ground - h, w, h, color);
    for (let wy = ground - h + 22; wy < ground - 30; wy += 38) {
      for (let wx = x + 16; wx < x + w - 26; wx += 30) out += rect(wx, wy, 14, 20, windowColor, `opacity="${0.55 + next() * 0.4}"`);
    }
    x += w + 6;
  }
  return out;
}

interface PersonLook {
  shirt: string;
  trousers?: string;
  skin?: string;
  hair?: string;
  armsUp?: boolean;
}

/** A standing person, feet at (x, foot), `h` tall. */
function person(x: number, foot: number, h: number, look: PersonLook): string {
  const { shirt, trousers = '#34405a', skin = '#f0c4a0', hair = '#5a3b28', armsUp = false } = look;
  const u = h / 100;
  const arms = armsUp
    ? `<path d="M${x - 12 * u} ${foot - 78 * u} L${x - 24 * u} ${foot - 106 * u} M${x + 12 * u} ${foot - 78 * u} ` +
      `L${x + 24 * u} ${foot - 106 * u}" stroke="${shirt}" stroke-width="${8 * u}" stroke-linecap="round"/>`
    : `<path d="M${x - 13 * u} ${foot - 76 * u} L${x - 17 * u} ${foot - 48 * u} M${x + 13 * u} ${foot - 76 * u} ` +
      `L${x + 17 * u} ${foot - 48 * u}" stroke="${shirt}" stroke-width="${8 * u}" stroke-linecap="round"/>`;
  return (
    `<g>${arms}` +
    rect(x - 10 * u, foot - 46 * u, 8 * u, 46 * u, trousers, `rx="${3 * u}"`) +
    rect(x + 2 * u, foot - 46 * u, 8 * u, 46 * u, trousers, `rx="${3 * u}"`) +
    rect(x - 15 * u, foot - 82 * u, 30 * u, 40 * u, shirt, `rx="${8 * u}"`) +
    circle(x, foot - 90 * u, 10 * u, skin) +
    `<path d="M${x - 10 * u} ${foot - 91 * u} A${10 * u} ${10 * u} 0 0 1 ${x + 10 * u} ${foot - 91 * u} Z" fill="${hair}"/></g>`
  );
}

function tree(x: number, ground: number, size: number, leaves = '#5f9e5a', trunk = '#7a5636'): string {
  return (
    rect(x - size * 0.08, ground - size * 0.9, size * 0.16, size * 0.9, trunk) +
    circle(x, ground - size * 1.1, size * 0.5, leaves) +
    circle(x - size * 0.3, ground - size * 0.85, size * 0.35, leaves) +
    circle(x + size * 0.32, ground - size * 0.88, size * 0.36, leaves)
  );
}

/** A gear with `teeth` teeth around (x, y). */
function gear(x: number, y: number, r: number, teeth: number, fill: string): string {
  const points: string[] = [];
  for (let i = 0; i < teeth * 4; i++) {
    const angle = (i / (teeth * 4)) * Math.PI * 2;
    const radius = i % 4 < 2 ? r : r * 0.82;
    points.push(`${(x + radius * Math.cos(angle)).toFixed(1)},${(y + radius * Math.sin(angle)).toFixed(1)}`);
  }
  return `<polygon points="${points.join(' ')}" fill="${fill}"/>${circle(x, y, r * 0.3, '#3b2a22')}${circle(x, y, r * 0.12, fill)}`;
}

function elektrobus(): string {
  const bus = { left: 360, right: 1240, top: 430, bottom: 720 };
  const windows = Array.from({ length: 6 }, (_, i) => rect(bus.left + 40 + i * 112, bus.top + 40, 96, 95, '#2d4a5e', 'rx="10"')).join('');
  const wheel = (x: number) => circle(x, bus.bottom, 48, '#2b2b2b') + circle(x, bus.bottom, 22, '#b9c0c8');
  return svg(
    gradient('sky', ['#9fd3f5', '#e8f5ff']) + gradient('road', ['#6d7278', '#55595e']),
    sky() +
      cloud(260, 130, 0.9) +
      cloud(1250, 90, 1.1) +
      // The station: a long building with arched windows behind the stop.
      rect(80, 250, 1440, 420, '#e9d8b8') +
      rect(80, 230, 1440, 30, '#c9a97a') +
      Array.from({ length: 11 }, (_, i) => `<path d="M${150 + i * 128} 600 V400 a40 40 0 0 1 80 0 V600 Z" fill="#8fb3c9"/>`).join('') +
      rect(720, 150, 160, 100, '#d9c29c') +
      circle(800, 200, 36, '#f7f2e6') +
      `<path d="M800 200 V176 M800 200 H820" stroke="#3b3b3b" stroke-width="5" stroke-linecap="round"/>` +
      rect(0, 670, width, 40, '#c7c9cc') +
      rect(0, 710, width, height - 710, 'url(#road)') +
      Array.from({ length: 8 }, (_, i) => rect(40 + i * 210, 830, 120, 12, '#f2f2f2')).join('') +
      // The shelter on the left.
      rect(120, 500, 12, 180, '#5b6770') +
      rect(300, 500, 12, 180, '#5b6770') +
      rect(100, 480, 230, 24, '#3f8f5f', 'rx="6"') +
      rect(140, 520, 150, 110, '#bfe0ea', 'opacity="0.6"') +
      // The bus: white body, green stripe, a battery box on the roof.
      rect(bus.left + 120, bus.top - 34, 420, 40, '#cfd6dc', 'rx="10"') +
      rect(bus.left, bus.top, bus.right - bus.left, bus.bottom - bus.top, '#f7f9fa', 'rx="34"') +
      rect(bus.left, bus.top + 165, bus.right - bus.left, 34, '#3fae5a') +
      windows +
      // The windscreen, then the front door with a passenger stepping in and two more waiting on the kerb.
      rect(bus.right - 56, bus.top + 30, 44, 150, '#2d4a5e', 'rx="14"') +
      rect(bus.right - 160, bus.top + 40, 92, 236, '#9fb8c6', 'rx="8"') +
      `<path d="M${bus.right - 114} ${bus.top + 40} V${bus.top + 276}" stroke="#f7f9fa" stroke-width="5"/>` +
      person(bus.right - 114, bus.top + 262, 150, { shirt: '#4f6fe0', hair: '#222' }) +
      circle(bus.right - 20, bus.bottom - 60, 14, '#ffe9a3') +
      wheel(bus.left + 150) +
      wheel(bus.right - 270) +
      person(1300, 702, 150, { shirt: '#e0734f' }) +
      person(1375, 705, 158, { shirt: '#f0b93f' }),
  );
}

function oblaka(): string {
  const next = random(2);
  const roofs = Array.from({ length: 14 }, (_, i) => {
    const x = i * 120 - 20;
    const h = 120 + next() * 110;
    const peak = next() > 0.5;
    return peak
      ? `<path d="M${x} ${height} V${height - h} L${x + 60} ${height - h - 50} ` +
          `L${x + 120} ${height - h} V${height} Z" fill="${['#5c6b8a', '#6b7a96', '#52607c'][i % 3]}"/>` +
          rect(x + 80, height - h - 60, 14, 40, '#4a566e')
      : rect(x, height - h, 118, h, ['#6b7a96', '#5c6b8a', '#7886a0'][i % 3]!) +
          `<path d="M${x + 30} ${height - h} v-40 m-14 0 h28" stroke="#3e4860" stroke-width="4"/>`;
  }).join('');
  return svg(
    gradient('sky', ['#2f7fd6', '#7fbcf0', '#d9efff']),
    sky() +
      circle(1320, 170, 70, '#fff6c9', 'opacity="0.9"') +
      circle(1320, 170, 110, '#fff6c9', 'opacity="0.25"') +
      cloud(330, 230, 1.2) +
      cloud(820, 150, 0.8, 0.9) +
      cloud(1050, 380, 1, 0.85) +
      cloud(180, 470, 0.6, 0.8) +
      `<path d="M600 300 q12 -12 24 0 q12 -12 24 0 M680 270 q9 -9 18 0 q9 -9 18 0" stroke="#33415c" stroke-width="4" fill="none"/>` +
      roofs,
  );
}

function naberezhnaya(): string {
  const lamps = Array.from({ length: 7 }, (_, i) => {
    const x = 120 + i * 230;
    return rect(x - 5, 420, 10, 260, '#3b4452') + circle(x, 412, 18, '#fff1b8') + rect(x - 22, 395, 44, 10, '#3b4452', 'rx="4"');
  }).join('');
  const benches = [330, 790, 1250]
    .map(
      (x) =>
        rect(x, 620, 130, 16, '#8a5a36', 'rx="4"') +
        rect(x, 590, 130, 12, '#8a5a36', 'rx="4"') +
        rect(x + 10, 636, 8, 40, '#3b4452') +
        rect(x + 112, 636, 8, 40, '#3b4452'),
    )
    .join('');
  const ripples = Array.from({ length: 18 }, (_, i) =>
    rect(60 + ((i * 397) % 1480), 740 + (i % 5) * 30, 90 + (i % 3) * 40, 5, '#cfe6f2', 'opacity="0.6" rx="2"'),
  ).join('');
  return svg(
    gradient('sky', ['#8cc8ee', '#f3e6c8']) + gradient('water', ['#4f8fb3', '#2f6a8f']),
    sky() +
      cloud(1200, 120, 0.9, 0.85) +
      cloud(400, 90, 0.7, 0.8) +
      // Far bank, the river, the promenade with its railing, lamps and benches.
      skyline(3, 330, ['#a7b3c4', '#b9c2cf', '#98a6ba'], 60, 170, '#e8eef5') +
      Array.from({ length: 12 }, (_, i) => circle(70 + i * 135, 335, 45, '#6fa36a')).join('') +
      rect(0, 340, width, 60, 'url(#water)', 'opacity="0.8"') +
      rect(0, 400, width, 290, '#e6d6b8') +
      rect(0, 600, width, 90, '#dccaa6') +
      Array.from({ length: 5 }, (_, i) => tree(230 + i * 300, 560, 90, '#6aa862')).join('') +
      lamps +
      benches +
      rect(0, 680, width, 22, '#9a8f80') +
      rect(0, 660, width, 8, '#3b4452') +
      Array.from({ length: 54 }, (_, i) => rect(i * 30, 668, 5, 14, '#3b4452')).join('') +
      rect(0, 702, width, height - 702, 'url(#water)') +
      ripples,
  );
}

function futbolYunoshi(): string {
  const next = random(4);
  const crowd = Array.from({ length: 220 }, (_, i) =>
    circle(
      20 + (i % 55) * 29 + (Math.floor(i / 55) % 2) * 14,
      70 + Math.floor(i / 55) * 40,
      11,
      ['#e35d5d', '#f2c14e', '#5d8de3', '#ffffff', '#8bd17c'][Math.floor(next() * 5)]!,
    ),
  ).join('');
  const stripes = Array.from({ length: 8 }, (_, i) => rect(i * 200, 250, 100, height - 250, '#4f9a4a', 'opacity="0.5"')).join('');
  const team = [
    [560, 770, 210, true],
    [700, 790, 230, false],
    [820, 780, 220, true],
    [950, 795, 235, true],
    [1080, 775, 215, false],
  ] as const;
  return svg(
    gradient('pitch', ['#5fae57', '#3f8a3c']),
    rect(0, 0, width, 250, '#6a7380') +
      crowd +
      rect(0, 225, width, 25, '#d9dde2') +
      rect(0, 250, width, height - 250, 'url(#pitch)') +
      stripes +
      `<path d="M0 420 H1600 M800 250 V900" stroke="#f2f7f2" stroke-width="6" opacity="0.85" fill="none"/>` +
      `<ellipse cx="800" cy="560" rx="230" ry="90" stroke="#f2f7f2" stroke-width="6" fill="none" opacity="0.85"/>` +
      // The goal on the right, the players in blue in the middle.
      `<path d="M1380 620 V420 H1560 V620" stroke="#ffffff" stroke-width="10" fill="none"/>` +
      Array.from({ length: 7 }, (_, i) => `<path d="M${1395 + i * 25} 430 V615" stroke="#ffffff" stroke-width="2" opacity="0.6"/>`).join(
        '',
      ) +
      team
        .map(([x, foot, h, armsUp]) =>
          person(x, foot, h, { shirt: '#2f63c9', trousers: '#f5f7fa', armsUp, hair: x % 2 ? '#2a1d15' : '#8a5a2b' }),
        )
        .join('') +
      circle(1230, 810, 22, '#ffffff') +
      `<path d="M1218 802 l12 8 l12 -8 M1230 810 v14" stroke="#333" stroke-width="3" fill="none"/>`,
  );
}

function polumarafon(): string {
  const next = random(5);
  const shirts = ['#ff6b4a', '#ffd23f', '#3bc9db', '#8ce99a', '#f783ac', '#845ef7', '#ff922b'];
  let runners = '';
  for (let row = 0; row < 4; row++) {
    const foot = 640 + row * 70;
    const h = 150 + row * 30;
    for (let x = 40 + (row % 2) * 40; x < width; x += 70 + row * 10)
      runners += person(x + next() * 20, foot, h, {
        shirt: shirts[Math.floor(next() * shirts.length)]!,
        trousers: '#2d3142',
        hair: ['#2a1d15', '#8a5a2b', '#d8b26e'][Math.floor(next() * 3)]!,
      });
  }
  return svg(
    gradient('sky', ['#9ed0f0', '#fdf1dc']) + gradient('street', ['#9aa0a6', '#7d838a']),
    sky() +
      cloud(300, 120, 0.8) +
      skyline(5, 560, ['#d98e73', '#e6b98a', '#c9d2dc', '#b5c7a8'], 220, 420, '#fff8e6') +
      rect(0, 560, width, height - 560, 'url(#street)') +
      // The start arch over the street, no lettering.
      `<path d="M330 700 V300 A470 190 0 0 1 1270 300 V700" stroke="#ff7a2f" stroke-width="70" fill="none" stroke-linejoin="round"/>` +
      `<path d="M330 700 V300 A470 190 0 0 1 1270 300 V700" stroke="#2f6fd1" stroke-width="18" fill="none"/>` +
      Array.from({ length: 9 }, (_, i) =>
        circle(420 + i * 95, 200 - Math.sin((i / 8) * Math.PI) * 60, 14, ['#ffd23f', '#ffffff', '#3bc9db'][i % 3]!),
      ).join('') +
      runners,
  );
}

function skladDym(): string {
  const next = random(6);
  const smoke = Array.from({ length: 16 }, (_, i) => {
    const t = i / 15;
    return circle(
      820 + t * 260 + (next() - 0.5) * 40,
      500 - t * 430,
      50 + t * 110,
      ['#8e9196', '#a3a6ab', '#7b7f85'][i % 3]!,
      `opacity="${0.75 - t * 0.35}"`,
    );
  }).join('');
  const warehouse = (x: number, w: number, h: number, color: string) =>
    rect(x, 560 - h, w, h, color) +
    `<path d="M${x - 6} ${560 - h} L${x + w / 2} ${540 - h} L${x + w + 6} ${560 - h} Z" fill="#8a8f96"/>` +
    Array.from({ length: Math.floor(w / 22) }, (_, i) => rect(x + 6 + i * 22, 566 - h, 3, h - 12, '#000000', 'opacity="0.08"')).join('');
  return svg(
    gradient('sky', ['#c9d3dc', '#eef1f2']) +
      gradient('field', ['#b6c98a', '#94ad6a']) +
      '<filter id="soft"><feGaussianBlur stdDeviation="14"/></filter>',
    sky() +
      rect(0, 520, width, height - 520, 'url(#field)') +
      `<g filter="url(#soft)">${smoke}</g>` +
      warehouse(460, 300, 90, '#c2c7cc') +
      warehouse(780, 380, 110, '#b4bcc4') +
      warehouse(1180, 240, 80, '#cdd2d6') +
      warehouse(250, 180, 70, '#bcc4c0') +
      rect(1000, 380, 26, 180, '#7d8389') +
      Array.from({ length: 10 }, (_, i) => tree(60 + i * 170, 610, 40 + (i % 3) * 8, '#6f8f55')).join('') +
      // The bypass road in front, with its guard rail.
      `<path d="M0 760 L1600 700 L1600 800 L0 880 Z" fill="#6f747a"/>` +
      `<path d="M0 820 L1600 750" stroke="#f4f4f4" stroke-width="5" stroke-dasharray="60 40"/>` +
      `<path d="M0 730 L1600 672" stroke="#c0c4c8" stroke-width="10"/>` +
      Array.from({ length: 17 }, (_, i) => `<path d="M${i * 100} ${730 - i * 3.6} v40" stroke="#8a8f95" stroke-width="6"/>`).join(''),
  );
}

function tramvay(): string {
  const tram = (x: number, w: number, top: number, h: number) => {
    const wins = Array.from({ length: Math.floor((w - 60) / 70) }, (_, i) =>
      rect(x + 30 + i * 70, top + h * 0.18, 52, h * 0.32, '#2f4858', 'rx="6"'),
    ).join('');
    return (
      `<path d="M${x + w * 0.25} ${top} l${w * 0.12} -${h * 0.28} l${w * 0.1} 0" stroke="#3b3b3b" stroke-width="5" fill="none"/>` +
      rect(x, top, w, h, '#d8312f', `rx="${h * 0.12}"`) +
      rect(x, top + h * 0.58, w, h * 0.14, '#f5f1ea') +
      rect(x, top, w, h * 0.08, '#f5f1ea', `rx="${h * 0.04}"`) +
      wins +
      circle(x + w * 0.2, top + h + 8, h * 0.09, '#2b2b2b') +
      circle(x + w * 0.8, top + h + 8, h * 0.09, '#2b2b2b')
    );
  };
  return svg(
    gradient('sky', ['#a9d4f2', '#f0f6fa']),
    sky() +
      cloud(1300, 110, 0.8) +
      skyline(7, 620, ['#e3c9a8', '#d6a98c', '#c8d3c0', '#efe0c4'], 260, 470, '#fdfbf4') +
      rect(0, 620, width, height - 620, '#8d9196') +
      rect(0, 600, width, 20, '#c9ccd0') +
      `<path d="M0 760 H1600 M0 790 H1600" stroke="#5c6066" stroke-width="6"/>` +
      `<path d="M0 220 H1600 M0 236 H1600" stroke="#2f2f2f" stroke-width="3"/>` +
      Array.from({ length: 5 }, (_, i) => rect(60 + i * 380, 220, 10, 400, '#4b5057')).join('') +
      // Three trams one behind another, the nearest in the middle.
      tram(60, 420, 470, 200) +
      tram(1120, 470, 455, 215) +
      tram(420, 760, 420, 300),
  );
}

function kubsat(): string {
  // An isometric cube with a solar panel deployed on each side.
  const cx = 800,
    cy = 470,
    s = 150;
  const top = `M${cx} ${cy - s} L${cx + s * 0.87} ${cy - s / 2} L${cx} ${cy} L${cx - s * 0.87} ${cy - s / 2} Z`;
  const left = `M${cx - s * 0.87} ${cy - s / 2} L${cx} ${cy} L${cx} ${cy + s} L${cx - s * 0.87} ${cy + s / 2} Z`;
  const right = `M${cx} ${cy} L${cx + s * 0.87} ${cy - s / 2} L${cx + s * 0.87} ${cy + s / 2} L${cx} ${cy + s} Z`;
  const panel = (x: number, flip: number) => {
    const cells = Array.from({ length: 12 }, (_, i) =>
      rect(x + (flip > 0 ? 10 : -230) + (i % 4) * 55, 380 + Math.floor(i / 4) * 62, 48, 54, '#2a4f9e', 'opacity="0.9"'),
    ).join('');
    return rect(x + (flip > 0 ? 0 : -240), 370, 240, 200, '#c9ced6') + cells;
  };
  return svg(
    gradient('wall', ['#dfe7ee', '#c7d2dc']) + gradient('table', ['#f1f3f5', '#cfd5db']),
    rect(0, 0, width, height, 'url(#wall)') +
      rect(90, 130, 300, 16, '#9aa5b1') +
      rect(130, 80, 60, 50, '#e07a5f') +
      rect(210, 60, 40, 70, '#3d5a80') +
      rect(270, 95, 90, 35, '#98c1d9') +
      rect(1230, 110, 240, 170, '#2f3e46', 'rx="10"') +
      `<path d="M1250 230 q30 -60 60 0 t60 0 t60 0" stroke="#7cf29a" stroke-width="5" fill="none"/>` +
      rect(0, 660, width, height - 660, 'url(#table)') +
      rect(0, 650, width, 14, '#aab4be') +
      panel(cx + s * 0.87 + 20, 1) +
      panel(cx - s * 0.87 - 20, -1) +
      `<path d="${top}" fill="#f0cf72"/><path d="${left}" fill="#e3b341"/><path d="${right}" fill="#c9972c"/>` +
      `<path d="${top}" fill="none" stroke="#8f6a1c" stroke-width="4"/>` +
      `<path d="${left}" fill="none" stroke="#8f6a1c" stroke-width="4"/>` +
      `<path d="${right}" fill="none" stroke="#8f6a1c" stroke-width="4"/>` +
      circle(cx - 60, cy + 70, 24, '#1f2a36') +
      circle(cx - 60, cy + 70, 12, '#5f86b5') +
      `<path d="M${cx} ${cy - s} V${cy - s - 120}" stroke="#9aa5b1" stroke-width="6"/>` +
      circle(cx, cy - s - 120, 10, '#e07a5f') +
      `<ellipse cx="${cx}" cy="${cy + s + 40}" rx="300" ry="26" fill="#000000" opacity="0.12"/>`,
  );
}

function zhuravli(): string {
  const crane = (x: number, water: number, flip: 1 | -1, headDown: boolean) => {
    const f = (dx: number) => x + dx * flip;
    const neck = headDown
      ? `M${f(50)} ${water - 190} Q${f(120)} ${water - 230} ${f(140)} ${water - 150}`
      : `M${f(50)} ${water - 190} Q${f(70)} ${water - 290} ${f(95)} ${water - 330}`;
    const head = headDown ? [f(140), water - 145] : [f(95), water - 335];
    return (
      `<path d="M${f(-10)} ${water} L${f(0)} ${water - 150} M${f(30)} ${water} L${f(25)} ${water - 150}" ` +
      `stroke="#3b3b3b" stroke-width="6"/>` +
      `<ellipse cx="${x}" cy="${water - 190}" rx="85" ry="45" fill="#9aa3ab"/>` +
      `<path d="M${f(-60)} ${water - 200} q${-50 * flip} 30 ${-40 * flip} 70 q${30 * flip} -10 ${60 * flip} -30 Z" fill="#5e666e"/>` +
      `<path d="${neck}" stroke="#2f3338" stroke-width="18" fill="none" stroke-linecap="round"/>` +
      `<path d="${neck}" stroke="#f2f2f2" stroke-width="6" fill="none" transform="translate(${6 * flip} 2)" opacity="0.8"/>` +
      circle(head[0]!, head[1]!, 16, '#2f3338') +
      circle(head[0]! + 2 * flip, head[1]! - 10, 6, '#d64545') +
      `<path d="M${head[0]! + 12 * flip} ${head[1]!} l${42 * flip} ${headDown ? 14 : 8}" stroke="#4a4a3a" ` +
      `stroke-width="6" stroke-linecap="round"/>`
    );
  };
  const sedge = (x: number, base: number, h: number) =>
    `<path d="M${x} ${base} q-10 ${-h * 0.6} -30 ${-h} M${x} ${base} q0 ${-h * 0.6} 6 ${-h * 1.1} ` +
    `M${x} ${base} q12 ${-h * 0.5} 34 ${-h * 0.9}" stroke="#6f8f3f" stroke-width="5" fill="none" stroke-linecap="round"/>`;
  const next = random(9);
  return svg(
    gradient('sky', ['#f6c9a8', '#fbe6c6', '#e8efe3']) + gradient('water', ['#a9c3c9', '#6f93a0']),
    sky() +
      circle(1180, 300, 60, '#fff1d6', 'opacity="0.9"') +
      Array.from(
        { length: 40 },
        (_, i) => `<path d="M${i * 42} 430 l20 -${60 + (i % 5) * 18} l20 ${60 + (i % 5) * 18} Z" fill="#587a5a"/>`,
      ).join('') +
      rect(0, 425, width, 40, '#7d9a6b') +
      rect(0, 465, width, height - 465, 'url(#water)') +
      Array.from({ length: 14 }, (_, i) =>
        rect(40 + ((i * 331) % 1500), 520 + (i % 6) * 60, 120, 4, '#e6f0ef', 'opacity="0.5" rx="2"'),
      ).join('') +
      Array.from({ length: 26 }, () => sedge(next() * width, 520 + next() * 340, 60 + next() * 80)).join('') +
      crane(660, 740, 1, false) +
      crane(960, 770, -1, true) +
      `<ellipse cx="680" cy="745" rx="70" ry="8" fill="#51707b" opacity="0.5"/>` +
      `<ellipse cx="950" cy="775" rx="70" ry="8" fill="#51707b" opacity="0.5"/>` +
      Array.from({ length: 10 }, (_, i) => sedge(80 + i * 160 + next() * 40, 900, 120 + next() * 60)).join(''),
  );
}

function teatrRepetitsiya(): string {
  const actor = (x: number, coat: string, hat: boolean) =>
    person(x, 760, 260, { shirt: coat, trousers: '#2b2d42', hair: '#3b2a22' }) +
    (hat ? rect(x - 24, 478, 48, 12, '#1d1d1d') + rect(x - 15, 432, 30, 48, '#1d1d1d') : '');
  const dress = (x: number, color: string) =>
    `<path d="M${x - 20} 560 L${x - 80} 760 L${x + 80} 760 L${x + 20} 560 Z" fill="${color}"/>` +
    rect(x - 20, 520, 40, 60, color, 'rx="10"') +
    circle(x, 505, 22, '#f0c4a0') +
    `<path d="M${x - 24} 500 q24 -40 48 0 q-24 -12 -48 0" fill="#7a4a2a"/>`;
  return svg(
    gradient('curtain', ['#8f1d2c', '#b8323f', '#8f1d2c'], false) +
      gradient('floor', ['#8a5a3a', '#5e3b24']) +
      `<radialGradient id="spot" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#fff4cf" stop-opacity="0.55"/>` +
      `<stop offset="1" stop-color="#fff4cf" stop-opacity="0"/></radialGradient>`,
    rect(0, 0, width, height, '#2a2233') +
      // Scenery of gears and brass pipes behind the actors.
      gear(560, 330, 150, 14, '#b08d57') +
      gear(760, 210, 90, 10, '#c9a46a') +
      gear(1060, 320, 180, 16, '#9c7a48') +
      gear(1290, 170, 80, 9, '#c9a46a') +
      `<path d="M250 100 V520 H420 M1340 520 V300 H1500 M700 60 H900 V140" stroke="#b5894b" stroke-width="28" ` +
      `fill="none" stroke-linejoin="round"/>` +
      Array.from({ length: 4 }, (_, i) => circle([250, 420, 1340, 1500][i]!, [520, 520, 300, 300][i]!, 20, '#d4a866')).join('') +
      rect(0, 700, width, height - 700, 'url(#floor)') +
      `<ellipse cx="800" cy="740" rx="520" ry="110" fill="url(#spot)"/>` +
      `<path d="M640 0 L420 760 L1180 760 L960 0 Z" fill="#fff4cf" opacity="0.12"/>` +
      actor(620, '#2e4a7d', true) +
      dress(820, '#6b8f71') +
      actor(1010, '#7d3c2e', false) +
      rect(0, 0, 230, height, 'url(#curtain)') +
      rect(1370, 0, 230, height, 'url(#curtain)') +
      rect(0, 0, width, 70, '#7a1a27'),
  );
}

function muzeyChasy(): string {
  const cx = 800;
  const ticks = Array.from({ length: 12 }, (_, i) => {
    const a = (i / 12) * Math.PI * 2;
    const [r1, r2] = i % 3 === 0 ? [92, 122] : [104, 122];
    return (
      `<path d="M${(cx + r1 * Math.sin(a)).toFixed(1)} ${(300 - r1 * Math.cos(a)).toFixed(1)} ` +
      `L${(cx + r2 * Math.sin(a)).toFixed(1)} ${(300 - r2 * Math.cos(a)).toFixed(1)}" stroke="#2b2b2b" ` +
      `stroke-width="${i % 3 === 0 ? 8 : 5}" stroke-linecap="round"/>`
    );
  }).join('');
  const frame = (x: number, y: number, w: number, h: number, inner: string) =>
    rect(x, y, w, h, '#b8894a') + rect(x + 14, y + 14, w - 28, h - 28, inner);
  return svg(
    gradient('case', ['#8a5530', '#6b3f22', '#8a5530'], false) + gradient('floor', ['#a57a4f', '#7d5634']),
    rect(0, 0, width, height, '#e9dcc3') +
      Array.from({ length: 27 }, (_, i) => rect(i * 60, 0, 24, 700, '#dccca9', 'opacity="0.6"')).join('') +
      rect(0, 620, width, 80, '#8a6a4a') +
      rect(0, 700, width, height - 700, 'url(#floor)') +
      frame(180, 200, 260, 200, '#8fb0a0') +
      frame(1170, 180, 240, 300, '#c9a27a') +
      // The wall clock: a rounded case, the face with tick marks, the pendulum behind glass.
      `<path d="M${cx - 170} 860 V300 A170 170 0 0 1 ${cx + 170} 300 V860 Z" fill="url(#case)"/>` +
      circle(cx, 300, 140, '#c9a05a') +
      circle(cx, 300, 128, '#f6efdc') +
      ticks +
      `<path d="M${cx} 300 L${cx - 40} 240 M${cx} 300 L${cx + 70} 330" stroke="#1f1f1f" stroke-width="9" stroke-linecap="round"/>` +
      circle(cx, 300, 10, '#1f1f1f') +
      rect(cx - 110, 480, 220, 340, '#3a2414', 'rx="12"') +
      rect(cx - 98, 492, 196, 316, '#f4e7c5', 'opacity="0.15" rx="8"') +
      `<path d="M${cx} 480 L${cx + 30} 740" stroke="#c9a05a" stroke-width="6"/>` +
      circle(cx + 32, 750, 38, '#d8b25f') +
      circle(cx + 32, 750, 20, '#f0d890') +
      `<path d="M${cx - 35} 480 V620 M${cx - 60} 480 V580" stroke="#c9a05a" stroke-width="4"/>` +
      rect(cx - 45, 620, 20, 40, '#b08d57') +
      rect(cx - 70, 580, 20, 40, '#b08d57'),
  );
}

function alpyMeteostantsiya(): string {
  const ridge = (points: string, fill: string) => `<polygon points="${points}" fill="${fill}"/>`;
  const mastX = 820;
  return svg(
    gradient('sky', ['#1f5fae', '#6fa8dc', '#d6e9f7']),
    sky() +
      cloud(300, 200, 0.7, 0.7) +
      cloud(1350, 260, 0.9, 0.6) +
      ridge('0,560 180,380 330,470 520,300 700,450 880,330 1080,470 1260,280 1430,420 1600,350 1600,900 0,900', '#8ea4bb') +
      ridge('180,380 230,420 200,430 150,415 ', '#ffffff') +
      ridge('520,300 580,350 540,360 470,345', '#ffffff') +
      ridge('1260,280 1320,330 1280,340 1210,325', '#ffffff') +
      ridge('0,680 260,560 420,620 600,520 760,600 940,540 1120,640 1320,560 1600,660 1600,900 0,900', '#6b7f95') +
      // The rocky crest in front, snow in the hollows.
      ridge('0,900 0,800 300,740 520,700 700,640 900,650 1100,720 1350,760 1600,820 1600,900', '#5b524c') +
      ridge('560,690 700,640 900,650 1000,690 860,700 720,690', '#f4f8fb') +
      ridge('0,830 240,760 420,760 200,820', '#f4f8fb') +
      ridge('1150,740 1350,770 1500,810 1260,800', '#f4f8fb') +
      // The mast: guy wires, sensors, an anemometer and two upright solar panels.
      `<path d="M${mastX} 200 L${mastX - 220} 690 M${mastX} 200 L${mastX + 230} 700 ` +
      `M${mastX} 380 L${mastX - 140} 670" stroke="#dde3e8" stroke-width="3"/>` +
      rect(mastX - 8, 180, 16, 480, '#c4ccd4') +
      Array.from(
        { length: 10 },
        (_, i) => `<path d="M${mastX - 8} ${200 + i * 46} L${mastX + 8} ${223 + i * 46}" stroke="#8c96a0" stroke-width="3"/>`,
      ).join('') +
      `<path d="M${mastX - 70} 190 H${mastX + 70}" stroke="#8c96a0" stroke-width="6"/>` +
      circle(mastX - 70, 182, 14, '#f2f4f6') +
      circle(mastX + 70, 182, 14, '#f2f4f6') +
      `<path d="M${mastX} 180 V130 M${mastX - 30} 130 H${mastX + 30}" stroke="#8c96a0" stroke-width="5"/>` +
      circle(mastX - 30, 130, 10, '#e8553e') +
      circle(mastX + 30, 130, 10, '#e8553e') +
      rect(mastX + 12, 320, 50, 40, '#f2f4f6', 'rx="6"') +
      rect(mastX - 62, 420, 50, 60, '#f2f4f6', 'rx="6"') +
      rect(mastX + 20, 470, 90, 170, '#23407a') +
      rect(mastX - 120, 480, 90, 170, '#23407a') +
      Array.from({ length: 6 }, (_, i) => rect(mastX + 26 + (i % 2) * 42, 476 + Math.floor(i / 2) * 55, 36, 50, '#3460a8')).join('') +
      Array.from({ length: 6 }, (_, i) => rect(mastX - 114 + (i % 2) * 42, 486 + Math.floor(i / 2) * 55, 36, 50, '#3460a8')).join(''),
  );
}

const scenes: Record<string, () => string> = {
  elektrobus,
  oblaka,
  naberezhnaya,
  'futbol-yunoshi': futbolYunoshi,
  polumarafon,
  'sklad-dym': skladDym,
  tramvay,
  kubsat,
  zhuravli,
  'teatr-repetitsiya': teatrRepetitsiya,
  'muzey-chasy': muzeyChasy,
  'alpy-meteostantsiya': alpyMeteostantsiya,
};

/** The demo photo of a media key, as a JPEG of 1600×900, as a camera or a photo desk would send it. */
export async function drawDemoPicture(key: string): Promise<Buffer> {
  const scene = scenes[key];
  if (!scene) throw new Error(`no demo picture is drawn for media key ${key}`);
  return sharp(Buffer.from(scene())).jpeg({ quality: 88, mozjpeg: true }).toBuffer();
}
