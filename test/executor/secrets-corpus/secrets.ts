// Deterministic generators of realistic credentials, one per format the redactor must catch. Every value
// made here is recorded, so the corpus test can check that none of them survives redaction.

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const HEX = "0123456789abcdef";
const WORDS = ["maple", "orbit", "falcon", "cobalt", "pepper", "quartz", "lantern", "harbor", "velvet", "tundra", "saffron", "meteor"];
const SYMBOLS = "!#%*+._~^";

export class SecretMaker {
  readonly planted: Array<{ value: string; kind: string }> = [];
  private readonly rand: () => number;

  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }

  private chars(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.rand() * alphabet.length)];
    return out;
  }

  private word(): string {
    return WORDS[Math.floor(this.rand() * WORDS.length)] as string;
  }

  private plant(kind: string, value: string): string {
    this.planted.push({ value, kind });
    return value;
  }

  /** A human-chosen password: words, digits and a symbol, never a dictionary word alone. */
  password(): string {
    const w = this.word();
    return this.plant("password", `${w[0]?.toUpperCase()}${w.slice(1)}${this.chars("0123456789", 2)}${this.chars(SYMBOLS, 1)}${this.word()}${this.chars("0123456789", 2)}`);
  }

  /** A generated password or API secret without a recognisable format. */
  opaque(length = 24): string {
    return this.plant("opaque", this.chars(ALNUM, length));
  }

  github(): string {
    const prefix = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"][Math.floor(this.rand() * 5)] as string;
    return this.plant("github", `${prefix}${this.chars(ALNUM, 36)}`);
  }

  githubFineGrained(): string {
    return this.plant("github", `github_pat_${this.chars(ALNUM, 22)}_${this.chars(ALNUM, 59)}`);
  }

  gitlab(): string {
    return this.plant("gitlab", `glpat-${this.chars(B64URL, 20)}`);
  }

  slack(): string {
    const kind = "abpr"[Math.floor(this.rand() * 4)] as string;
    return this.plant("slack", `xox${kind}-${this.chars("0123456789", 11)}-${this.chars("0123456789", 13)}-${this.chars(ALNUM, 24)}`);
  }

  /** The secret path of a Slack webhook URL (the host is not a secret). */
  slackWebhookPath(): string {
    return this.plant("slack-webhook", `T${this.chars(UPPER, 8)}/B${this.chars(UPPER, 10)}/${this.chars(ALNUM, 24)}`);
  }

  stripe(): string {
    const prefix = ["sk_live_", "rk_live_", "sk_test_"][Math.floor(this.rand() * 3)] as string;
    return this.plant("stripe", `${prefix}${this.chars(ALNUM, 34)}`);
  }

  stripeWebhook(): string {
    return this.plant("stripe", `whsec_${this.chars(ALNUM, 32)}`);
  }

  awsAccessKeyId(): string {
    return this.plant("aws-key-id", `AKIA${this.chars(UPPER.slice(0, 26) + "234567", 16)}`);
  }

  awsSecretKey(): string {
    return this.plant("aws-secret", this.chars(B64, 40));
  }

  googleApiKey(): string {
    return this.plant("google", `AIza${this.chars(B64URL, 35)}`);
  }

  googleOAuth(): string {
    return this.plant("google", `ya29.${this.chars(B64URL, 60)}`);
  }

  openai(): string {
    return this.plant("openai", `sk-proj-${this.chars(B64URL, 40)}`);
  }

  npm(): string {
    return this.plant("npm", `npm_${this.chars(ALNUM, 36)}`);
  }

  huggingface(): string {
    return this.plant("huggingface", `hf_${this.chars(ALNUM, 34)}`);
  }

  sendgrid(): string {
    return this.plant("sendgrid", `SG.${this.chars(B64URL, 22)}.${this.chars(B64URL, 43)}`);
  }

  jwt(): string {
    const header = Buffer.from('{"alg":"RS256","kid":"k1","typ":"JWT"}').toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: `system:serviceaccount:corp:${this.word()}`, exp: 1893456000 + Math.floor(this.rand() * 1e6) })).toString("base64url");
    return this.plant("jwt", `${header}.${payload}.${this.chars(B64URL, 86)}`);
  }

  /** The body of a PEM private key (its BEGIN/END lines are not secret). */
  pemBody(): string {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) lines.push(this.chars(B64, 64));
    this.plant("private-key", lines[2] as string);
    return lines.join("\n");
  }

  /** The base64 `user:password` of an HTTP Basic header. */
  basicCredential(): string {
    return this.plant("basic-auth", Buffer.from(`admin:${this.chars(ALNUM, 14)}`).toString("base64"));
  }

  hex(length: number): string {
    return this.plant("hex", this.chars(HEX, length));
  }

  base64(bytes: number): string {
    return this.plant("base64", Buffer.from(this.chars(ALNUM, bytes)).toString("base64"));
  }
}

export function pem(body: string, kind = "RSA "): string {
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----`;
}
