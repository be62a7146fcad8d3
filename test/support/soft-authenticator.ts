// A software WebAuthn authenticator for tests: an ES256 key from node:crypto, authenticator data
// and attestation objects built by hand with the library's CBOR helper, signed as a real
// authenticator signs. Its knobs break the rules the server must enforce (user verification, the
// signature counter, the origin).
import crypto from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

const sha256 = (data: Uint8Array | string) => crypto.createHash("sha256").update(data).digest();
const b64 = (data: Uint8Array | string) =>
  isoBase64URL.fromBuffer(new Uint8Array(typeof data === "string" ? Buffer.from(data) : data));

export class SoftAuthenticator {
  readonly credentialId = crypto.randomBytes(16);
  private readonly keys = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  /** The next signature counter; set it back to play a cloned authenticator. */
  counter = 0;
  userHandle: string | undefined;

  constructor(private readonly appUrl: string) {}

  get id() {
    return b64(this.credentialId);
  }

  private authenticatorData(flags: number, attested?: Uint8Array) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([
      sha256(new URL(this.appUrl).hostname),
      Buffer.from([flags]),
      count,
      ...(attested ? [attested] : []),
    ]);
  }

  private clientData(type: string, challenge: string, origin: string) {
    return JSON.stringify({ type, challenge, origin, crossOrigin: false });
  }

  /** The public key as a COSE key, as the server stores it after registration. */
  cosePublicKey(): Uint8Array {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, isoBase64URL.toBuffer(jwk.x!)],
      [-3, isoBase64URL.toBuffer(jwk.y!)],
    ]);
    return isoCBOR.encode(coseKey);
  }

  /** The private key as PKCS#8 DER, which a browser's virtual authenticator imports. */
  privateKeyPkcs8(): Buffer {
    return this.keys.privateKey.export({ format: "der", type: "pkcs8" });
  }

  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    { userVerified = true, origin = new URL(this.appUrl).origin } = {},
  ): RegistrationResponseJSON {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      idLength,
      this.credentialId,
      this.cosePublicKey(),
    ]);
    const authData = this.authenticatorData(UP | AT | (userVerified ? UV : 0), attested);
    const attestation = new Map<string, string | Map<string, never> | Uint8Array>();
    attestation.set("fmt", "none");
    attestation.set("attStmt", new Map<string, never>());
    attestation.set("authData", new Uint8Array(authData));
    const attestationObject = isoCBOR.encode(attestation);
    this.userHandle = options.user.id;
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64(this.clientData("webauthn.create", options.challenge, origin)),
        attestationObject: b64(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** Signs a challenge; each signature moves the counter on unless `keepCounter`. */
  sign(
    options: Pick<PublicKeyCredentialRequestOptionsJSON, "challenge">,
    { userVerified = true, origin = new URL(this.appUrl).origin, keepCounter = false } = {},
  ): AuthenticationResponseJSON {
    if (!keepCounter) this.counter += 1;
    const authData = this.authenticatorData(UP | (userVerified ? UV : 0));
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, origin);
    const signature = crypto.sign(
      "sha256",
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.keys.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
