// The per-request CSP nonce (set by the web server, see app/web-app.server.ts) for the few inline
// scripts Remix renders (hydration data, scroll restoration), so the policy needs no 'unsafe-inline'.
import { createContext, useContext } from 'react'

const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
