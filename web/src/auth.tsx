import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, forgetCsrf, get, post } from './api.ts';
import type { Role, Section, User } from './types.ts';

interface AuthState {
  user: User | null;
  loading: boolean;
  refresh: () => Promise<void>;
  login: (email: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
}

const Ctx = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const r = await get<{ user: User }>('/auth/me');
      setUser(r.user);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      setUser(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const login = useCallback(async (email: string, password: string) => {
    const r = await post<{ user: User }>('/auth/login', { email, password });
    forgetCsrf(); // the token is bound to the new session
    setUser(r.user);
    return r.user;
  }, []);
  const logout = useCallback(async () => {
    await post('/auth/logout');
    forgetCsrf();
    setUser(null);
  }, []);
  return <Ctx.Provider value={{ user, loading, refresh, login, logout }}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(Ctx);
  if (!v) throw new Error('AuthProvider manquant');
  return v;
}

export function can(user: User | null, need: Role): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (need === 'facilitator') return user.role === 'facilitator' || user.role === 'analyst';
  return user.role === need;
}

/** Whether the signed-in user may use a back-office section: the API's own list (GET /api/auth/me). */
export function allows(user: User | null, section: Section): boolean {
  return !!user && user.sections.includes(section);
}
