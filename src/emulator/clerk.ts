/**
 * A stand-in for Clerk: an RS256 key pair, its JWKS, session tokens minted for a user, and their
 * verification as a Bytekit server does it (signature against the JWKS, issuer, expiry, RS256 only).
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, type JSONWebKeySet, jwtVerify, SignJWT } from "jose"

/** Clerk session tokens live about 60 seconds. */
const sessionSeconds = 60

export interface Clerk {
  readonly issuer: string
  readonly jwks: JSONWebKeySet
  /** A session token for the user, valid for `seconds` (default 60); `issuer` overrides `iss` (for tests). */
  readonly mint: (userId: string, seconds?: number, issuer?: string) => Promise<string>
  /** The user id (`sub`) of a valid session token, or undefined. */
  readonly verify: (token: string) => Promise<string | undefined>
}

export const makeClerk = async (issuer: string): Promise<Clerk> => {
  const { privateKey, publicKey } = await generateKeyPair("RS256")
  const jwk = { ...(await exportJWK(publicKey)), kid: "emulator-1", alg: "RS256", use: "sig" }
  const jwks: JSONWebKeySet = { keys: [jwk] }
  const keySet = createLocalJWKSet(jwks)
  return {
    issuer,
    jwks,
    mint: (userId, seconds = sessionSeconds, iss = issuer) =>
      new SignJWT({ sid: `sess_${userId}` })
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "JWT" })
        .setIssuer(iss)
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, keySet, { issuer, algorithms: ["RS256"], clockTolerance: 5 })
        return typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : undefined
      } catch {
        return undefined
      }
    }
  }
}
