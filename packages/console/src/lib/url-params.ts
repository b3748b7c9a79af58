import { useSearchParams } from 'react-router'

/**
 * A page's filters kept in the URL, so a view can be shared and the back button restores it.
 * `setParam(name, '')` removes the parameter rather than leaving `name=` behind; `clearParams()`
 * removes them all.
 */
export function useUrlParams<Name extends string = string> (): [URLSearchParams, (name: Name, value: string) => void, () => void] {
  const [params, setParams] = useSearchParams()
  const setParam = (name: Name, value: string) => {
    const next = new URLSearchParams(params)
    if (value === '') next.delete(name)
    else next.set(name, value)
    setParams(next)
  }
  const clearParams = () => { setParams(new URLSearchParams()) }
  return [params, setParam, clearParams]
}
